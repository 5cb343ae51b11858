// Outbox (DESIGN.md target: 30 days of 10 meters at 15 s; drains ≥ 20,000 readings/s while
// live data stays on time). Fill: the agent's SQLite outbox takes 1,728,000 readings (quick:
// a day) — time and bytes on disk, against a naive JSON-per-row outbox. Drain: `tandem agent
// run` starts on the full outbox with live polling of 10 simulated meters and delivers to a
// real collector; an observer on the gateway's topics sums the collector's Acks (drain rate)
// and times each live reading from its read to its arrival at the broker.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { decodeBatch, decodePayload, parseSeq, topicFor, type Ack, type ReadingBatch } from '../../protocol/index.js';
import { openSqliteOutbox } from '../../agent/outbox/sqlite-outbox.js';
import { DEFAULTS } from '../../agent/config/schema.js';
import type { NewReading } from '../../agent/outbox/outbox.js';
import type { Benchmark, Figure } from '../harness.js';
import { startAgentProcess } from '../lib/agent-process.js';
import { benchEnterprises, GATEWAY_PASSWORD, gatewayId, meterId, seedDb, startCollectorProcess, tempDir } from '../lib/collector-process.js';
import { feederReadings } from '../lib/feeder.js';
import { simMeters, startSimBus } from '../lib/sim-process.js';
import { percentile, sleep, until } from '../lib/stats.js';
import { openNaiveOutbox } from './naive-outbox.js';

const METERS = 10;
const POLL_MS = 15_000;
const DAY_MS = 86_400_000;
const APPEND_BATCH = 1000;
const TARGET_DRAIN_PER_S = 20_000;
/** Live poll interval during the drain (quick: 1 s): often enough for a delay distribution. */
const LIVE_INTERVAL_S = 5;
/** The drain gets this long (the target rate needs 86 s for 30 days); past it the rate so far is reported. */
const DRAIN_TIMEOUT_MS = 300_000;
/** Live cycles observed after the drain: the baseline delay with an empty outbox. */
const CYCLES_AFTER = 3;

function bytesOnDisk(path: string): number {
  return ['', '-wal', '-shm'].reduce((sum, suffix) => sum + (existsSync(path + suffix) ? statSync(path + suffix).size : 0), 0);
}

/** Setup → fill → teardown for one outbox; returns seconds and bytes on disk. */
function fill(open: () => { append(r: readonly NewReading[]): unknown; close(): void }, path: string, days: number, t0: number) {
  const outbox = open();
  const started = performance.now();
  let batch: NewReading[] = [];
  const cycles = (days * DAY_MS) / POLL_MS;
  for (const r of feederReadings({ meters: METERS, cycles, intervalMs: POLL_MS, t0, meterName: meterId })) {
    batch.push(r);
    if (batch.length === APPEND_BATCH) {
      outbox.append(batch);
      batch = [];
    }
  }
  if (batch.length) outbox.append(batch);
  const seconds = (performance.now() - started) / 1000;
  outbox.close();
  return { seconds, bytes: bytesOnDisk(path), readings: cycles * METERS };
}

interface Delays {
  p50: number;
  p99: number;
  max: number;
  count: number;
}

interface Drain {
  perS: number;
  /** Backlog readings acked (each once) when the drain ended or timed out. */
  acked: number;
  seconds: number;
  during: Delays;
  after: Delays;
}

const delays = (xs: number[]): Delays => ({ p50: percentile(xs, 50), p99: percentile(xs, 99), max: Math.max(...xs), count: xs.length });

async function drain(dir: string, outboxPath: string, backlog: number, quick: boolean): Promise<Drain> {
  const intervalS = quick ? 1 : LIVE_INTERVAL_S;
  const meters = simMeters(METERS, ['dtsu666']);
  const sim = await startSimBus('tcp', meters);
  const bus = { id: 'bus1', kind: 'tcp' as const, host: sim.host, port: sim.port, meters: meters.map((m, i) => ({ id: meterId(i), unit: m.unit, profile: m.profile })) };
  const db = join(dir, 'collector.db');
  seedDb(db, benchEnterprises({ gateways: 1, metersPerGateway: METERS, pollIntervalS: intervalS, buses: [{ ...bus, meters: undefined }] }));
  const collector = await startCollectorProcess(db);
  const gw = gatewayId(0);
  const observer = await mqtt.connectAsync(collector.mqttUrl, { protocolVersion: 4, clientId: 'bench-observer', username: gw, password: GATEWAY_PASSWORD, reconnectPeriod: 0 });
  // Seqs 1..backlog are the backlog (a fresh outbox numbers from 1); a resend is acked again but counted once.
  const ackedSeq = new Uint8Array(backlog + 1);
  let acked = 0;
  let firstAckAt = 0;
  let lastAckAt = 0;
  const during: number[] = [];
  const after: number[] = [];
  let drained = false;
  const agentStart = Date.now();
  observer.on('message', (topic, payload) => {
    const decoded = decodePayload(payload);
    if (!decoded.ok) return;
    if (topic === topicFor(gw, 'ack')) {
      for (const [from, to] of (decoded.value as Ack).ranges) {
        for (let seq = Number(parseSeq(from)); seq <= Math.min(Number(parseSeq(to)), backlog); seq++) {
          if (ackedSeq[seq]) continue;
          ackedSeq[seq] = 1;
          acked++;
          lastAckAt = performance.now();
        }
      }
      firstAckAt ||= performance.now();
    } else {
      const now = Date.now();
      for (const r of decodeBatch(decoded.value as ReadingBatch)) if (r.t >= agentStart) (drained ? after : during).push(now - r.t);
    }
  });
  await observer.subscribeAsync([topicFor(gw, 'ack'), topicFor(gw, 'data')], { qos: 1 });
  // The outbox already exists at this path: the agent opens it and finds the backlog.
  const agent = startAgentProcess(dir, { gatewayId: gw, mqttUrl: collector.mqttUrl, pollIntervalS: intervalS, buses: [bus], outboxMaxAgeDays: 31 });
  try {
    // A drain that does not finish is a result too: the rate so far is reported.
    await until(() => acked >= backlog, `${backlog} backlog readings acked`, DRAIN_TIMEOUT_MS, 100).catch(() => undefined);
    const seconds = (lastAckAt - firstAckAt) / 1000;
    drained = true;
    await sleep((quick ? 1 : CYCLES_AFTER) * intervalS * 1000 + 500);
    return { perS: acked / seconds, acked, seconds, during: delays(during), after: delays(after) };
  } finally {
    await agent.stop();
    await observer.endAsync(true);
    await collector.stop();
    await sim.stop();
  }
}

export const benchmark: Benchmark = {
  name: 'outbox',
  description: 'outbox: 30 days of 10 meters at 15 s — fill time, size on disk; drain rate to a collector with live polling',
  async run({ quick }) {
    const days = quick ? 1 : 30;
    const tmp = tempDir('outbox');
    try {
      // Ends now: the newest reading is fresh, the oldest just inside the 30-day age limit.
      const t0 = Date.now() - days * DAY_MS + 60_000;
      const oursPath = join(tmp.dir, 'outbox.db');
      const ours = fill(() => openSqliteOutbox({ path: oursPath, maxBytes: DEFAULTS.outboxMaxBytes, maxAgeDays: days + 1, minFreeDiskBytes: 0 }), oursPath, days, t0);
      const naivePath = join(tmp.dir, 'naive.db');
      const naive = fill(() => openNaiveOutbox(naivePath), naivePath, days, t0);
      const result = await drain(tmp.dir, oursPath, ours.readings, quick);
      const mb = (b: number) => b / 2 ** 20;
      const fillWork = `${ours.readings.toLocaleString('en-US')} readings (${days} d × ${METERS} meters at 15 s), ${APPEND_BATCH} per transaction`;
      const drainWork = `${ours.readings.toLocaleString('en-US')}-reading backlog to a local collector, live polling of ${METERS} meters every ${quick ? 1 : LIVE_INTERVAL_S} s`;
      const naiveName = 'JSON text per row';
      return [
        { what: 'outbox size on disk', workload: fillWork, value: mb(ours.bytes), unit: 'MB', baseline: { name: naiveName, value: mb(naive.bytes) }, better: 'lower', note: `${(ours.bytes / ours.readings).toFixed(1)} B per reading; limit ${mb(DEFAULTS.outboxMaxBytes)} MB by default` },
        { what: 'outbox fill time', workload: fillWork, value: ours.seconds, unit: 's', baseline: { name: naiveName, value: naive.seconds }, better: 'lower' },
        { what: 'drain rate (acked by the collector)', workload: drainWork, value: result.perS, unit: '/s', target: `≥ ${TARGET_DRAIN_PER_S.toLocaleString('en-US')}`, meets: result.perS >= TARGET_DRAIN_PER_S, better: 'higher', note: `${result.acked.toLocaleString('en-US')} of ${ours.readings.toLocaleString('en-US')} acked in ${result.seconds.toFixed(0)} s (first to last Ack${result.acked < ours.readings ? `; cut off at ${DRAIN_TIMEOUT_MS / 1000} s` : ''}); collector with live models (its default); the agent's backlog cap is ${DEFAULTS.backlogReadingsPerS.toLocaleString('en-US')}/s` },
        { what: 'live reading read → at the broker, p50 during the drain', workload: drainWork, value: result.during.p50, unit: 'ms', baseline: { name: 'after the drain', value: result.after.p50 }, better: 'lower', note: `${result.during.count} live readings during (max ${result.during.max.toFixed(0)} ms), ${result.after.count} after; a live batch waits up to 200 ms for its poll round (sender.ts)` },
        { what: 'live reading read → at the broker, p99 during the drain', workload: drainWork, value: result.during.p99, unit: 'ms', baseline: { name: 'after the drain', value: result.after.p99 }, target: '< 1 poll interval', meets: result.during.p99 < (quick ? 1 : LIVE_INTERVAL_S) * 1000, better: 'lower' },
      ] satisfies Figure[];
    } finally {
      tmp.cleanup();
    }
  },
};
