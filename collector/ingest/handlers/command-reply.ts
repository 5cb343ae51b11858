// Replies to operator commands, matched to the command they answer (commands/command-service.ts).
import { formatIssues, parseMessage } from '../../../protocol/index.js';
import type { Handler } from '../context.js';

export const handleCommandReply: Handler = async (ctx, message) => {
  const parsed = parseMessage('commandReply', message.payload);
  if (!parsed.ok) return ctx.quarantine(message, formatIssues(parsed.errors));
  const reply = parsed.value;
  const known = ctx.onCommandReply(message.gatewayId, reply, message.receivedAt);
  ctx.log.info({ gatewayId: message.gatewayId, id: reply.id, ok: reply.ok, error: reply.error, known }, 'command reply');
};
