// Periodic gateway health: kept as the latest snapshot, with the clock offset measured
// against the collector's clock at receipt (DESIGN.md: "so the collector can flag skew").
import { formatIssues, parseMessage } from '../../../protocol/index.js';
import type { Handler } from '../context.js';

/** A gateway clock off by more than this is logged (ms); readings carry its timestamps. */
export const CLOCK_SKEW_WARN_MS = 60_000;

export const handleHealth: Handler = async (ctx, message) => {
  const parsed = parseMessage('health', message.payload);
  if (!parsed.ok) return ctx.quarantine(message, formatIssues(parsed.errors));
  await ctx.store.recordHealth(message.gatewayId, parsed.value, message.receivedAt);
  const offset = parsed.value.t - message.receivedAt;
  if (Math.abs(offset) > CLOCK_SKEW_WARN_MS) ctx.log.warn({ gatewayId: message.gatewayId, offsetMs: offset }, 'gateway clock is off');
};
