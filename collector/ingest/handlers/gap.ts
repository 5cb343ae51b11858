// Gap markers: readings the gateway dropped for good (outbox full or too old). Recorded so
// the API and the data-gap model know the hole is final, not late.
import { formatIssues, parseMessage } from '../../../protocol/index.js';
import type { Handler } from '../context.js';

export const handleGap: Handler = async (ctx, message) => {
  const parsed = parseMessage('gap', message.payload);
  if (!parsed.ok) return ctx.quarantine(message, formatIssues(parsed.errors));
  if (parsed.value.gw !== message.gatewayId) {
    return ctx.quarantine(message, `gw: gap names gateway '${parsed.value.gw}' but arrived on ${message.topic}`);
  }
  await ctx.store.recordGap(message.gatewayId, parsed.value, message.receivedAt);
  ctx.log.warn({ gatewayId: message.gatewayId, from: parsed.value.from, to: parsed.value.to, reason: parsed.value.reason }, 'gateway reports dropped readings');
};
