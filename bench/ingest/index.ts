// Collector ingest (DESIGN.md target: ≥ 100,000 readings/s sustained, one process, models
// on): simulated gateways publish reading batches to the collector's embedded broker and
// count a batch done when the collector's Ack says it is stored. Ours: `tandem collector`
// (live models on, its default). Baselines: `tandem collector --no-models` (store and ack
// only), and the same broker library with a subscriber that discards (what the broker alone
// carries). The dwell → alert delay is alert-latency's.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Benchmark, Figure } from '../harness.js';
import { benchEnterprises, seedDb, spawnJsonServer, startCollectorProcess, tempDir, type ChildServer } from '../lib/collector-process.js';
import { Load, type LoadOptions } from '../lib/load.js';
import { watchProcess, type Usage } from '../lib/proc.js';
import { percentile, sleep } from '../lib/stats.js';

const TARGET_READINGS_PER_S = 100_000;
const GATEWAYS = 20;
const METERS_PER_GATEWAY = 10;
/** 50 poll instants of 10 meters: a backlog batch size the agent sends (sender.ts sends up to 1000). */
const BATCH_READINGS = 500;
/**
 * Batches in flight per gateway: 160,000 readings in all, past the write queue's high-water
 * mark (100,000), so the collector, not the round trip, sets the pace.
 */
const WINDOW = 16;
const DAY_MS = 86_400_000;
/** Event time starts 30 days back: at this rate it runs days ahead, and must stay in the past. */
const START_BACK_MS = 30 * DAY_MS;
const RAW_BROKER = fileURLToPath(new URL('./raw-broker.js', import.meta.url));

export interface Run {
  readingsPerS: number;
  p50: number;
  p99: number;
  usage: Usage;
}

/** Setup → run → teardown for one contender: publish flat out for warm-up + measure seconds. */
export async function runContender(server: ChildServer, doneOn: LoadOptions['doneOn'], seconds: { warm: number; measure: number }): Promise<Run> {
  const load = new Load({
    url: server.mqttUrl, gateways: GATEWAYS, metersPerGateway: METERS_PER_GATEWAY, batchReadings: BATCH_READINGS,
    window: WINDOW, doneOn, startT: Date.now() - START_BACK_MS,
  });
  try {
    await load.connect();
    load.start();
    await sleep(seconds.warm * 1000);
    load.measure();
    const watch = watchProcess(server.pid);
    const started = performance.now();
    await sleep(seconds.measure * 1000);
    const done = load.done;
    const elapsed = (performance.now() - started) / 1000;
    const usage = watch.stop();
    const delays = [...load.delaysMs];
    return { readingsPerS: done / elapsed, p50: percentile(delays, 50), p99: percentile(delays, 99), usage };
  } finally {
    await load.stop();
    await server.stop();
  }
}

export const benchmark: Benchmark = {
  name: 'ingest',
  description: 'collector ingest: readings/s stored from simulated gateways, CPU, RSS, publish → stored delay',
  async run({ quick }) {
    const seconds = quick ? { warm: 0.5, measure: 2 } : { warm: 5, measure: 60 };
    const baselineSeconds = quick ? seconds : { warm: 3, measure: 20 };
    const tmp = tempDir('ingest');
    try {
      const fresh = (name: string) => {
        const db = join(tmp.dir, `${name}.db`);
        seedDb(db, benchEnterprises({ gateways: GATEWAYS, metersPerGateway: METERS_PER_GATEWAY }));
        return db;
      };
      const ours = await runContender(await startCollectorProcess(fresh('models')), 'ack', seconds);
      const off = await runContender(await startCollectorProcess(fresh('no-models'), { models: false }), 'ack', baselineSeconds);
      const raw = await runContender(await spawnJsonServer([RAW_BROKER]), 'puback', baselineSeconds);
      const workload = `${GATEWAYS} gateways × ${METERS_PER_GATEWAY} meters, ${BATCH_READINGS}-reading batches, ${WINDOW} in flight each, ${seconds.measure} s`;
      const noModels = (value: number) => ({ name: 'tandem collector --no-models', value });
      const bare = (value: number) => ({ name: 'bare aedes, discarding subscriber', value });
      const target = { target: `≥ ${TARGET_READINGS_PER_S.toLocaleString('en-US')}`, meets: ours.readingsPerS >= TARGET_READINGS_PER_S };
      return [
        { what: 'readings/s stored, models on', workload, value: ours.readingsPerS, unit: '/s', baseline: noModels(off.readingsPerS), ...target, better: 'higher', note: `event time runs ahead from 30 days back, as a backlog does; baselines measured over ${baselineSeconds.measure} s` },
        { what: 'readings/s stored, models on vs the broker alone', workload, value: ours.readingsPerS, unit: '/s', baseline: bare(raw.readingsPerS), ...target, better: 'higher', note: 'baseline counts PUBACKs: what aedes carries with nothing behind it' },
        { what: 'collector CPU', workload, value: ours.usage.cpuPct, unit: '% core', baseline: noModels(off.usage.cpuPct), better: 'lower', note: `per process from /proc/<pid>/stat (bare broker: ${raw.usage.cpuPct.toFixed(0)} %); the load generator shares the 2 cores` },
        { what: 'collector RSS peak', workload, value: ours.usage.rssPeakMB, unit: 'MB', baseline: noModels(off.usage.rssPeakMB), better: 'lower' },
        { what: 'publish → stored delay p50', workload, value: ours.p50, unit: 'ms', baseline: noModels(off.p50), better: 'lower', note: 'publish → Ack received, at saturation (the Ack follows the commit)' },
        { what: 'publish → stored delay p99', workload, value: ours.p99, unit: 'ms', baseline: noModels(off.p99), better: 'lower' },
      ] satisfies Figure[];
    } finally {
      tmp.cleanup();
    }
  },
};
