// What the live engine needs from the collector's store, and the per-window loading it does
// with it: minutes and readings for one enterprise's window, and the 15-minute powers that
// learning reads, cached per facility and local day.
import type { AlertEvent, EnterpriseInfo, FacilityInfo, FacilityMinute, FacilityReading, Notice, Order } from './contract.js';
import { baselineWindow, boundProduction, orderBaseline } from './baseline.js';
import { quarterHourPowers } from './facility-state.js';
import type { EnterpriseData } from './input.js';
import { LevelBook } from './level-book.js';
import { localDayEnd } from './local-time.js';
import { lowerBound } from './memory-data.js';
import type { ModelConfig, OrderBaseline } from './model.js';
import { buildSeries } from './series.js';

type MaybePromise<T> = T | Promise<T>;

export interface EngineSource {
  /** Stored minutes of one facility in [from, to), time-ordered. */
  minutes(facility: string, from: number, to: number): MaybePromise<FacilityMinute[]>;
  facilities(): MaybePromise<FacilityInfo[]>;
  enterprises(): MaybePromise<EnterpriseInfo[]>;
  orders(): MaybePromise<Order[]>;
  notices(): MaybePromise<Notice[]>;
  /** Readings of these facilities in [from, to), time-ordered; without it meter-integrity sees none. */
  readings?(facilities: string[], from: number, to: number): MaybePromise<FacilityReading[]>;
  /** First stored minute of a facility (data-gap ignores silence before it); without it, the first one seen. */
  firstMinute?(facility: string): MaybePromise<number | null>;
  /** Per-enterprise/facility model parameters; without it, the defaults. */
  config?(): MaybePromise<ModelConfig>;
  /**
   * Alerts stored before this engine started whose window ends after `since` (not withdrawn):
   * after a restart the engine then extends or withdraws them instead of starting blind.
   */
  recentAlerts?(since: number): MaybePromise<AlertEvent[]>;
}

export interface Registry {
  enterprises: Map<string, EnterpriseInfo>;
  facilitiesOf: Map<string, FacilityInfo[]>;
  enterpriseOf: Map<string, string>;
  orders: Order[];
  notices: Notice[];
  config: ModelConfig;
}

export async function loadRegistry(source: EngineSource): Promise<Registry> {
  const [enterprises, facilities, orders, notices, config] = await Promise.all([
    source.enterprises(),
    source.facilities(),
    source.orders(),
    source.notices(),
    source.config ? source.config() : {},
  ]);
  const facilitiesOf = new Map<string, FacilityInfo[]>(enterprises.map((e) => [e.id, []]));
  const enterpriseOf = new Map<string, string>();
  for (const f of facilities) {
    facilitiesOf.get(f.enterpriseId)?.push(f);
    enterpriseOf.set(f.id, f.enterpriseId);
  }
  return { enterprises: new Map(enterprises.map((e) => [e.id, e])), facilitiesOf, enterpriseOf, orders, notices, config };
}

/** 15-minute powers per facility and local day, loaded from the source once and kept until touched. */
export class QuarterCache {
  private readonly days = new Map<string, number[]>();

  constructor(private readonly source: EngineSource) {}

  get(facility: string, day: number): number[] {
    return this.days.get(`${facility}|${day}`) ?? [];
  }

  async ensure(facility: string, days: readonly number[], timeZone: string): Promise<void> {
    for (const day of days) {
      const key = `${facility}|${day}`;
      if (!this.days.has(key)) this.days.set(key, quarterHourPowers(await this.source.minutes(facility, day, localDayEnd(day, timeZone))));
    }
  }

  forget(facility: string, day: number): void {
    this.days.delete(`${facility}|${day}`);
  }
}

/** Where a window's minutes and readings come from: the store, or the recent windows kept in memory (recent-windows.ts). */
export interface WindowRows {
  minutes(facility: string, from: number, to: number): MaybePromise<FacilityMinute[]>;
  /** Undefined when the source has no readings. */
  readings?(enterpriseId: string, facilities: string[], from: number, to: number): MaybePromise<FacilityReading[]>;
}

/** The store itself, for windows read once (a day's evaluation). */
export function storeRows(source: EngineSource): WindowRows {
  const readings = source.readings?.bind(source);
  return {
    minutes: (facility, from, to) => source.minutes(facility, from, to),
    ...(readings && { readings: (_enterprise: string, facilities: string[], from: number, to: number) => readings(facilities, from, to) }),
  };
}

/** Everything one enterprise's window needs, loaded up front so that building the input is sync. */
export async function loadWindow(
  source: EngineSource,
  rows: WindowRows,
  registry: Registry,
  enterprise: EnterpriseInfo,
  book: LevelBook,
  baselines: Map<string, OrderBaseline | null>,
  firstMinutes: Map<string, number>,
  /** Minutes in [from, to); readings in [readFrom, to) (readFrom ≥ to: none). */
  range: { from: number; readFrom: number; to: number },
  timeZone: string,
): Promise<EnterpriseData> {
  const { from, readFrom, to } = range;
  const facilities = registry.facilitiesOf.get(enterprise.id) ?? [];
  const minutes = new Map<string, FacilityMinute[]>();
  for (const f of facilities) minutes.set(f.id, await rows.minutes(f.id, from, to));
  const readings = rows.readings && readFrom < to ? await rows.readings(enterprise.id, facilities.map((f) => f.id), readFrom, to) : [];
  for (const order of registry.orders) {
    if (baselines.has(order.id) || !order.enterpriseIds.includes(enterprise.id) || order.to <= from || order.from >= to) continue;
    const w = baselineWindow(order);
    const series = [];
    for (const f of boundProduction(facilities, order)) {
      series.push(buildSeries(f, await source.minutes(f.id, w.from, w.to), w.from, w.to, { levelsAt: (m) => book.levelsAt(f.id, m) }));
    }
    baselines.set(order.id, orderBaseline(series));
  }
  return {
    enterprise,
    facilities,
    minutes: (facility, a, b) => {
      const all = minutes.get(facility) ?? [];
      return all.slice(lowerBound(all, a, (m) => m.minute), lowerBound(all, b, (m) => m.minute));
    },
    firstMinute: (facility) => firstMinutes.get(facility),
    readings: (a, b) => readings.filter((r) => r.t >= a && r.t < b),
    orders: registry.orders,
    notices: registry.notices,
    baseline: (order) => baselines.get(order.id) ?? null,
    levels: book,
    config: registry.config,
    timeZone,
  };
}
