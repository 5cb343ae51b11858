// Readings (topics data and backlog): validate → decode → resolve meters → queue for the
// next transaction; the write queue acks every sequence number it stored or quarantined.
import { decodeBatch, formatIssues, parseMessage, type Reading } from '../../../protocol/index.js';
import { READING_FLAGS, type IncomingReading, type QuarantineEntry } from '../../store/store.js';
import type { Handler } from '../context.js';

/** Readings stamped further than this ahead of the collector's clock are flagged (ms). */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;
/** Readings older than this at arrival are flagged as implausible (ms). */
export const MAX_AGE_MS = 400 * 24 * 3_600_000;

export const handleReadings: Handler = async (ctx, message) => {
  const parsed = parseMessage(message.kind as 'data', message.payload);
  if (!parsed.ok) return ctx.quarantine(message, formatIssues(parsed.errors));
  const batch = parsed.value;
  if (batch.gw !== message.gatewayId) {
    return ctx.quarantine(message, `gw: batch names gateway '${batch.gw}' but arrived on ${message.topic}`);
  }
  const readings = decodeBatch(batch);
  const meters = (await ctx.directory()).get(message.gatewayId);
  const known: IncomingReading[] = [];
  const unknownMeters = new Set<string>();
  for (const reading of readings) {
    if (meters?.has(reading.meter)) known.push({ gatewayId: message.gatewayId, reading, flags: flagsOf(reading, message.receivedAt) });
    else unknownMeters.add(reading.meter);
  }
  const quarantine: QuarantineEntry[] = [];
  if (unknownMeters.size) {
    const reason = meters
      ? `meters not registered for gateway '${message.gatewayId}': ${[...unknownMeters].join(', ')}`
      : `gateway '${message.gatewayId}' has no meters in the registry`;
    quarantine.push({ at: message.receivedAt, topic: message.topic, gatewayId: message.gatewayId, reason, payload: message.payload });
    ctx.stats.quarantined++;
    ctx.log.warn({ gatewayId: message.gatewayId, reason }, 'readings quarantined');
  }
  // Quarantined readings are acked too: they are kept, and a resend would change nothing.
  await ctx.queue.add(known, quarantine, message.gatewayId, readings.map((r) => r.seq));
};

function flagsOf(reading: Reading, receivedAt: number): number {
  if (reading.t > receivedAt + FUTURE_TOLERANCE_MS) return READING_FLAGS.future;
  if (reading.t < receivedAt - MAX_AGE_MS) return READING_FLAGS.tooOld;
  return 0;
}
