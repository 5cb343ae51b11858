// The live models' cost in steady state, per enterprise and minute of data, which decides how
// many enterprises one collector can judge live (DESIGN.md: ~10,000). Enterprises of ten
// meters polled every 15 s, three days of history in a real SQLite file; then, minute by
// minute, four poll instants are stored and the engine evaluates (as its tick does live).
// Ours: the engine as the collector runs it, keeping live windows in memory
// (collector/models/recent-windows.ts). Baseline: the same engine reading every window from
// the store (recentRows 0). Both run on copies of the same file, in this process.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine, DEFAULT_RECENT_ROWS } from '../../collector/models/engine.js';
import { storeSource } from '../../collector/live-models.js';
import { SqliteStore } from '../../collector/store/sqlite/sqlite-store.js';
import type { IncomingReading } from '../../collector/store/store.js';
import type { Benchmark, Figure } from '../harness.js';
import { benchEnterprises, seedDb, tempDir } from '../lib/collector-process.js';
import { percentile } from '../lib/stats.js';

const MIN = 60_000;
const POLL_MS = 15_000;
const METERS = 10;
const PROVINCE_ENTERPRISES = 10_000;
const THRESHOLDS = { production: { offBelowW: 1000, runningAboveW: 50_000 }, treatment: { offBelowW: 1000, runningAboveW: 10_000 } };

/** Readings of every meter at one instant: kiln and dust collector running, counters rising. */
function instantRows(enterprises: ReturnType<typeof benchEnterprises>, t: number, state: Map<string, { seq: bigint; kWh: number }>): IncomingReading[] {
  const rows: IncomingReading[] = [];
  for (const e of enterprises) {
    for (const m of e.meters) {
      const key = `${e.gateway.id}/${m.id}`;
      const s = state.get(key) ?? { seq: 0n, kWh: 1000 };
      const gw = state.get(e.gateway.id) ?? { seq: 0n, kWh: 0 };
      gw.seq++;
      state.set(e.gateway.id, gw);
      const p = (m.facility.endsWith('-dust') ? 30_000 : 80_000) + ((t / POLL_MS) * 37 + m.unit * 11) % 500;
      s.kWh += (p * POLL_MS) / 3_600_000_000;
      state.set(key, s);
      const values = { u1: 230 + (t % 7) / 10, u2: 229.8, u3: 230.4, i1: p / 690, i2: p / 690, i3: p / 690, p, pf: 0.92, f: 50, ei: s.kWh };
      rows.push({ gatewayId: e.gateway.id, flags: 0, reading: { seq: gw.seq, meter: m.id, t, values } });
    }
  }
  return rows;
}

/** Median wall time of the engine's evaluation per enterprise and minute, over `measure` live minutes. */
async function live(db: string, enterprises: number, from: number, warm: number, measure: number, recentRows: typeof DEFAULT_RECENT_ROWS, state: Map<string, { seq: bigint; kWh: number }>): Promise<number> {
  const store = new SqliteStore(db);
  const shape = benchEnterprises({ gateways: enterprises, metersPerGateway: METERS, thresholds: THRESHOLDS });
  let clock = from;
  const engine = createEngine({ source: storeSource(store), sink: { upsert() {} }, now: () => clock, tickMs: 0, recentRows });
  try {
    await engine.flush(); // the three days of history: learning, daily models (not measured)
    const times: number[] = [];
    for (let m = 0; m < warm + measure; m++) {
      for (let i = 0; i < MIN / POLL_MS; i++) {
        const written = store.write(instantRows(shape, from + m * MIN + i * POLL_MS, state), []);
        engine.onStored({ readings: written.inserted, touched: written.touched });
      }
      clock = from + (m + 1) * MIN + 1000;
      const start = performance.now();
      await engine.flush();
      if (m >= warm) times.push((performance.now() - start) / enterprises);
    }
    return percentile(times, 50);
  } finally {
    await engine.close();
    store.close();
  }
}

export const benchmark: Benchmark = {
  name: 'live-models',
  description: 'the live engine per enterprise-minute in steady state, windows kept in memory vs read from the store each time',
  async run({ quick }) {
    const enterprises = quick ? 3 : 20;
    const historyMin = quick ? 120 : 3 * 1440;
    const [warm, measure] = quick ? [2, 3] : [10, 40];
    const { dir, cleanup } = tempDir('live-models');
    try {
      const seeded = join(dir, 'seeded.db');
      const shape = benchEnterprises({ gateways: enterprises, metersPerGateway: METERS, thresholds: THRESHOLDS });
      seedDb(seeded, shape);
      const from = Math.floor(Date.now() / MIN) * MIN - (warm + measure) * MIN;
      const historyFrom = from - historyMin * MIN;
      const state = new Map<string, { seq: bigint; kWh: number }>();
      const store = new SqliteStore(seeded);
      for (let t = historyFrom; t < from; t += POLL_MS) store.write(instantRows(shape, t, state), []);
      store.close();
      const runs = [];
      for (const [name, rows] of [['ours', DEFAULT_RECENT_ROWS], ['baseline', { minutes: 0, readings: 0, perKey: { minutes: 0, readings: 0 } }]] as const) {
        const db = join(dir, `${name}.db`);
        copyFileSync(seeded, db);
        runs.push(await live(db, enterprises, from, warm, measure, rows, new Map([...state].map(([k, v]) => [k, { ...v }]))));
      }
      const [ours, baseline] = runs as [number, number];
      const workload = `${enterprises} enterprises × ${METERS} meters at 15 s, ${historyMin / 1440 >= 1 ? `${historyMin / 1440} days` : `${historyMin} min`} of history, median of ${measure} minutes`;
      const core = (ms: number) => (ms * PROVINCE_ENTERPRISES) / MIN * 100;
      const figures: Figure[] = [
        { what: 'live evaluation per enterprise-minute', workload, value: ours, unit: 'ms', baseline: { name: 'every window read from the store', value: baseline }, better: 'lower', note: 'wall time of engine.flush() after each minute of data, divided by the enterprises; the store is SQLite in a temporary file' },
        { what: 'share of a core for 10,000 enterprises live', workload, value: core(ours), unit: '% core', baseline: { name: 'every window read from the store', value: core(baseline) }, better: 'lower', note: 'the per-enterprise figure × 10,000 per minute; storing the readings and the broker come on top (see ingest)' },
      ];
      return figures;
    } finally {
      cleanup();
    }
  },
};
