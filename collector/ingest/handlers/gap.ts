// Gap markers: readings the gateway dropped for good (outbox full or too old). Recorded so
// the API and the data-gap model know the hole is final, not late; then acked like readings
// (protocol/README.md "Gap marker"), or the agent keeps the gap pending and resends it.
import { formatIssues, parseMessage } from '../../../protocol/index.js';
import type { Handler } from '../context.js';

export const handleGap: Handler = async (ctx, message) => {
  const parsed = parseMessage('gap', message.payload);
  if (!parsed.ok) return ctx.quarantine(message, formatIssues(parsed.errors));
  const gap = parsed.value;
  if (gap.gw !== message.gatewayId) {
    return ctx.quarantine(message, `gw: gap names gateway '${gap.gw}' but arrived on ${message.topic}`);
  }
  // Recorded once; a resend (our ack was lost) is acked again.
  const isNew = await ctx.store.recordGap(message.gatewayId, gap, message.receivedAt);
  ctx.ack(message.gatewayId, [{ from: BigInt(gap.from), to: BigInt(gap.to) }]);
  if (isNew) ctx.log.warn({ gatewayId: message.gatewayId, from: gap.from, to: gap.to, reason: gap.reason }, 'gateway reports dropped readings');
};
