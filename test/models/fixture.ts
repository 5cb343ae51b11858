// Scenario fixtures for the models: a small JSON spec (facilities, power segments, gaps,
// notices, orders, readings) expands into minutes, so golden cases stay a few lines long.
// Used by every model test and by the golden cases in collector/models/<id>/cases/.
import type { AlertEvent, FacilityInfo, FacilityMinute, FacilityReading, Notice, Order } from '../../collector/models/contract.js';
import { buildInput } from '../../collector/models/input.js';
import { localDayEnd, localDayStart } from '../../collector/models/local-time.js';
import { memoryData, type MemoryEnterprise } from '../../collector/models/memory-data.js';
import { DAY_MS, MINUTE_MS, type Model, type ModelConfig } from '../../collector/models/model.js';

/** Minutes from the start, or "HH:MM" local time on each day of `days`. */
type At = number | string;

export interface Segment {
  from: At;
  to: At;
  /** Power (W); null: no data. */
  w: number | null;
  /** Day indices [first, last) for "HH:MM" segments; default all days. */
  days?: [number, number];
}

export interface ReadingSpec {
  meter: string;
  facility: string;
  from: number;
  to: number;
  everyS: number;
  values: Record<string, number>;
  /** Added to `ei` at each reading (kWh), so the counter climbs. */
  eiStep?: number;
}

export interface ScenarioSpec {
  /** ISO instant of minute 0; default 2026-11-01 00:00 Asia/Shanghai. */
  start?: string;
  /** Length in minutes, or `days` whole days. */
  minutes?: number;
  days?: number;
  timeZone?: string;
  facilities: (Partial<FacilityInfo> & { id: string; kind: FacilityInfo['kind'] })[];
  power: Record<string, Segment[]>;
  notices?: { facility: string; from: number; to: number; reason?: string }[];
  orders?: { id: string; kind: 'stop' | 'limit'; from: number; to: number; limitPct?: number }[];
  readings?: ReadingSpec[];
  config?: ModelConfig;
  /** Window to evaluate, in minutes from the start; default the whole scenario. */
  evaluate?: { from: number; to: number };
  /** For daily models: the day index to evaluate. */
  day?: number;
}

export const DEFAULT_START = '2026-10-31T16:00:00.000Z';

/** The usual pair: a kiln and the fan (dust collector) that serves it. */
export const KILN_AND_FAN: ScenarioSpec['facilities'] = [
  { id: 'kiln', kind: 'production' },
  { id: 'fan', kind: 'treatment', serves: ['kiln'] },
];

/** The kiln at 50 kW from 08:00 to 18:00 local, off otherwise, every day. */
export const KILN_DAY_SHIFT: Segment[] = [
  { from: '00:00', to: '24:00', w: 0 },
  { from: '08:00', to: '18:00', w: 50_000 },
];
export const ENTERPRISE = 'ent-a';
const DEFAULT_THRESHOLDS: Record<string, FacilityInfo['thresholds']> = {
  production: { offBelowW: 1000, runningAboveW: 10_000, runningLevelW: 50_000 },
  treatment: { offBelowW: 1000, runningAboveW: 5000, runningLevelW: 20_000 },
  total: { offBelowW: 1000, runningAboveW: 10_000, runningLevelW: 80_000 },
};

export function scenarioStart(spec: ScenarioSpec): number {
  return Date.parse(spec.start ?? DEFAULT_START);
}

function scenarioLength(spec: ScenarioSpec): number {
  return spec.minutes ?? (spec.days ?? 1) * 24 * 60;
}

function resolve(at: At, dayStart: number, start: number): number {
  if (typeof at === 'number') return start + at * MINUTE_MS;
  const [h, m] = at.split(':').map(Number);
  return dayStart + (h! * 60 + m!) * MINUTE_MS;
}

export function buildScenario(spec: ScenarioSpec): MemoryEnterprise {
  const start = scenarioStart(spec);
  const end = start + scenarioLength(spec) * MINUTE_MS;
  const timeZone = spec.timeZone ?? 'Asia/Shanghai';
  const facilities: FacilityInfo[] = spec.facilities.map((f) => ({
    enterpriseId: ENTERPRISE,
    name: f.id,
    serves: [],
    meterIds: [`${f.id}-m`],
    ...f,
    thresholds: f.thresholds ?? DEFAULT_THRESHOLDS[f.kind]!,
  }));
  const minutes = new Map<string, FacilityMinute[]>();
  for (const f of facilities) {
    const power = new Map<number, number | null>();
    for (const seg of spec.power[f.id] ?? []) {
      const days = typeof seg.from === 'number' ? [start] : dayStarts(start, end, timeZone).slice(...(seg.days ?? [0, 10_000]));
      for (const day of days) {
        for (let t = resolve(seg.from, day, start); t < resolve(seg.to, day, start) && t < end; t += MINUTE_MS) power.set(t, seg.w);
      }
    }
    const list: FacilityMinute[] = [];
    for (let t = start; t < end; t += MINUTE_MS) {
      const w = power.get(t);
      if (w === undefined || w === null) continue;
      list.push({ facility: f.id, minute: t, powerW: w, energyKWh: null, metersReporting: 1 });
    }
    minutes.set(f.id, list);
  }
  const notices: Notice[] = (spec.notices ?? []).map((n, i) => ({
    id: `notice-${i}`,
    facility: n.facility,
    from: start + n.from * MINUTE_MS,
    to: start + n.to * MINUTE_MS,
    reason: n.reason ?? 'maintenance',
  }));
  const orders: Order[] = (spec.orders ?? []).map((o) => ({
    id: o.id,
    kind: o.kind,
    enterpriseIds: [ENTERPRISE],
    from: start + o.from * MINUTE_MS,
    to: start + o.to * MINUTE_MS,
    limitPct: o.limitPct ?? null,
  }));
  return {
    enterprise: { id: ENTERPRISE, name: 'Enterprise A', group: null, gatewayId: 'gw-a', timeZone },
    facilities,
    minutes,
    readings: buildReadings(spec.readings ?? [], start),
    orders,
    notices,
    config: spec.config ?? {},
    timeZone,
  };
}

function dayStarts(start: number, end: number, timeZone: string): number[] {
  const days: number[] = [];
  for (let d = localDayStart(start, timeZone); d < end; d = localDayEnd(d, timeZone)) days.push(d);
  return days;
}

function buildReadings(specs: ReadingSpec[], start: number): FacilityReading[] {
  const out: FacilityReading[] = [];
  let seq = 1n;
  for (const r of specs) {
    let ei = r.values.ei ?? 0;
    for (let t = start + r.from * MINUTE_MS; t < start + r.to * MINUTE_MS; t += r.everyS * 1000) {
      out.push({ seq: seq++, meter: r.meter, facility: r.facility, t, values: { ...r.values, ...(r.values.ei !== undefined ? { ei } : {}) } });
      ei += r.eiStep ?? 0;
    }
  }
  return out.sort((a, b) => a.t - b.t);
}

/** Runs one model on a scenario as the engine would: the window plus the model's look-back. */
export function runScenario(model: Model, spec: ScenarioSpec): AlertEvent[] {
  const memory = buildScenario(spec);
  const data = memoryData(memory);
  const start = scenarioStart(spec);
  let from: number;
  let to: number;
  if (spec.day !== undefined) {
    from = dayStarts(start, start + (spec.day + 1) * DAY_MS + DAY_MS, memory.timeZone)[spec.day]!;
    to = localDayEnd(from, memory.timeZone);
  } else {
    from = start + (spec.evaluate?.from ?? 0) * MINUTE_MS;
    to = start + (spec.evaluate?.to ?? scenarioLength(spec)) * MINUTE_MS;
  }
  const lookback = model.lookbackMs(model.defaults);
  return model.evaluate(buildInput(data, { from, to, dataFrom: Math.max(start, from - lookback) , asOf: to }));
}

/** The fields a golden case pins, with times as ISO strings. */
export function summarize(events: AlertEvent[]): Record<string, unknown>[] {
  return events
    .map((e) => ({
      key: e.key,
      from: new Date(e.from).toISOString(),
      to: new Date(e.to).toISOString(),
      ended: e.ended,
      declared: e.declared,
      facilities: e.facilities,
      evidence: e.evidence,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}
