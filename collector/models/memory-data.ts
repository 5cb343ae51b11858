// EnterpriseData over arrays already in memory: the scorer's replay and the tests.
import type { EnterpriseInfo, FacilityInfo, FacilityMinute, FacilityReading, Notice, Order } from './contract.js';
import { baselineWindow, boundProduction, orderBaseline } from './baseline.js';
import { quarterHourPowers } from './facility-state.js';
import type { EnterpriseData } from './input.js';
import { LevelBook } from './level-book.js';
import { localDayEnd } from './local-time.js';
import type { ModelConfig, OrderBaseline } from './model.js';
import { buildSeries } from './series.js';

export interface MemoryEnterprise {
  enterprise: EnterpriseInfo;
  facilities: FacilityInfo[];
  /** Per facility, time-ordered. */
  minutes: Map<string, FacilityMinute[]>;
  /** Time-ordered. */
  readings?: FacilityReading[];
  orders?: Order[];
  notices?: Notice[];
  config?: ModelConfig;
  timeZone: string;
}

/** First index whose key is ≥ value in a sorted array. */
export function lowerBound<T>(items: readonly T[], value: number, keyOf: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keyOf(items[mid]!) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function memoryData(source: MemoryEnterprise): EnterpriseData {
  const minutes = (facility: string, from: number, to: number): FacilityMinute[] => {
    const all = source.minutes.get(facility) ?? [];
    const key = (m: FacilityMinute) => m.minute;
    return all.slice(lowerBound(all, from, key), lowerBound(all, to, key));
  };
  const readings = source.readings ?? [];
  const quarterCache = new Map<string, number[]>();
  const levels = new LevelBook(
    new Map(source.facilities.map((f) => [f.id, f])),
    (facility, day) => {
      const key = `${facility}|${day}`;
      let q = quarterCache.get(key);
      if (!q) quarterCache.set(key, (q = quarterHourPowers(minutes(facility, day, localDayEnd(day, source.timeZone)))));
      return q;
    },
    source.timeZone,
  );
  const baselines = new Map<string, OrderBaseline | null>();
  return {
    enterprise: source.enterprise,
    facilities: source.facilities,
    minutes,
    firstMinute: (facility) => source.minutes.get(facility)?.[0]?.minute,
    readings: (from, to) => readings.slice(lowerBound(readings, from, (r) => r.t), lowerBound(readings, to, (r) => r.t)),
    orders: source.orders ?? [],
    notices: source.notices ?? [],
    baseline(order) {
      if (!baselines.has(order.id)) {
        const w = baselineWindow(order);
        const series = boundProduction(source.facilities, order).map((f) =>
          buildSeries(f, minutes(f.id, w.from, w.to), w.from, w.to, { levelsAt: (m) => levels.levelsAt(f.id, m) }),
        );
        baselines.set(order.id, orderBaseline(series));
      }
      return baselines.get(order.id)!;
    },
    levels,
    config: source.config ?? {},
    timeZone: source.timeZone,
  };
}
