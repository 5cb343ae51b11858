// Replies to operator commands. Nothing stores them yet: they are logged for the operator.
import { formatIssues, parseMessage } from '../../../protocol/index.js';
import type { Handler } from '../context.js';

export const handleCommandReply: Handler = async (ctx, message) => {
  const parsed = parseMessage('commandReply', message.payload);
  if (!parsed.ok) return ctx.quarantine(message, formatIssues(parsed.errors));
  const reply = parsed.value;
  ctx.log.info({ gatewayId: message.gatewayId, id: reply.id, ok: reply.ok, error: reply.error }, 'command reply');
};
