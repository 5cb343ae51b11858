// Uplink bytes per reading (DESIGN.md target ≤ 25 on average), for Tandem's columnar,
// delta-coded, compressed batches against plain JSON of one object per reading.
import { encodeBatch, encodePayload, topicFor, type Reading } from '../../protocol/index.js';
import type { Benchmark, Figure } from '../harness.js';
import { feederReadings } from '../lib/feeder.js';

const METERS = 10;
const INTERVAL_MS = 15_000;
const TARGET_BYTES = 25;

/** The feeder readings with sequence numbers, as they leave the outbox. */
function numbered(cycles: number): Reading[] {
  let seq = 1_000_000n;
  const t0 = Date.UTC(2026, 0, 5, 8);
  return [...feederReadings({ meters: METERS, cycles, intervalMs: INTERVAL_MS, t0, meterName: (m) => `ent-0001:meter-${m + 1}` })].map((r) => ({ ...r, seq: seq++ }));
}

/** MQTT 3.1.1 PUBLISH at QoS 1 (§3.3): fixed header, topic, packet id, payload; plus its 4-byte PUBACK. */
function mqttPublishBytes(topic: string, payloadBytes: number): number {
  const remaining = 2 + Buffer.byteLength(topic) + 2 + payloadBytes;
  const lengthBytes = remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4;
  return 1 + lengthBytes + remaining + 4;
}

function measure(readings: Reading[], perBatch: number, encode: (batch: Reading[]) => Buffer): { payload: number; packets: number } {
  const topic = topicFor('gw-0001', 'data');
  let payload = 0;
  let packets = 0;
  for (let i = 0; i < readings.length; i += perBatch) {
    const bytes = encode(readings.slice(i, i + perBatch)).length;
    payload += bytes;
    packets += mqttPublishBytes(topic, bytes);
  }
  return { payload: payload / readings.length, packets: packets / readings.length };
}

const ours = (batch: Reading[]) => encodePayload(encodeBatch('gw-0001', batch));
const plainJson = (batch: Reading[]) =>
  Buffer.from(JSON.stringify(batch.map((r) => ({ gw: 'gw-0001', seq: r.seq.toString(), meter: r.meter, t: r.t, ...r.values }))));

export const benchmark: Benchmark = {
  name: 'wire',
  description: 'uplink bytes per reading: Tandem batches vs plain JSON, one object per reading',
  async run({ quick }) {
    const cycles = quick ? 20 : 2_000;
    const readings = numbered(cycles);
    const figures: Figure[] = [];
    // Live: one batch per poll cycle is what the agent sends (agent/uplink/sender.ts gathers a
    // poll round for 200 ms); one per minute (4 polls) shows what batching longer would give.
    // Backlog: the outbox drains in big batches.
    const contenders = [
      ['live, 1 batch per 15 s poll', METERS],
      ['live, 1 batch per minute', METERS * 4],
      ['backlog, 500 readings per batch', 500],
    ] as const;
    for (const [label, perBatch] of contenders) {
      const a = measure(readings, perBatch, ours);
      const b = measure(readings, perBatch, plainJson);
      const workload = `${METERS} meters × ${cycles} polls, ${label}`;
      figures.push(
        { what: 'MQTT payload bytes per reading', workload, value: a.payload, unit: 'B', baseline: { name: 'plain JSON', value: b.payload }, target: `≤ ${TARGET_BYTES}`, meets: a.payload <= TARGET_BYTES, better: 'lower' },
        { what: 'MQTT packet bytes per reading (with PUBACK)', workload, value: a.packets, unit: 'B', baseline: { name: 'plain JSON', value: b.packets }, better: 'lower' },
      );
    }
    return figures;
  },
};
