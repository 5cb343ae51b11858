// The agent's answer to a configuration version: applied, unchanged, rejected or rolled back.
import { formatIssues, parseMessage } from '../../../protocol/index.js';
import type { Handler } from '../context.js';

export const handleConfigAck: Handler = async (ctx, message) => {
  const parsed = parseMessage('configAck', message.payload);
  if (!parsed.ok) return ctx.quarantine(message, formatIssues(parsed.errors));
  const ack = parsed.value;
  await ctx.store.recordConfigAck(message.gatewayId, ack, message.receivedAt);
  const level = ack.status === 'rejected' || ack.status === 'rolled-back' ? 'warn' : 'info';
  ctx.log[level]({ gatewayId: message.gatewayId, version: ack.version, status: ack.status, running: ack.running, errors: ack.errors }, 'config ack');
  ctx.onConfigAck(message.gatewayId);
};
