// Builds a ModelInput for one enterprise and one window from data already at hand (the
// scorer's memory, the engine's preloaded store rows). Sync and pure.
import type { EnterpriseInfo, FacilityInfo, FacilityMinute, FacilityReading, Notice, Order } from './contract.js';
import type { LevelBook } from './level-book.js';
import { MINUTE_MS, type ModelConfig, type ModelInput, type OrderBaseline } from './model.js';
import { buildSeries, sliceSeries } from './series.js';

/** Default poll interval when the enterprise does not say (DESIGN.md "Polling principles"). */
export const DEFAULT_POLL_INTERVAL_S = 15;

export interface EnterpriseData {
  enterprise: EnterpriseInfo;
  facilities: FacilityInfo[];
  /** Minutes of one facility in [from, to), time-ordered. */
  minutes(facility: string, from: number, to: number): readonly FacilityMinute[];
  /** First minute stored for a facility, when known. */
  firstMinute(facility: string): number | undefined;
  /** Readings of the enterprise in [from, to), time-ordered. */
  readings(from: number, to: number): readonly FacilityReading[];
  orders: readonly Order[];
  notices: readonly Notice[];
  /** Pre-order baseline of an order for this enterprise (cached by the caller). */
  baseline(order: Order): OrderBaseline | null;
  levels: LevelBook;
  config: ModelConfig;
  timeZone: string;
}

export interface Window {
  from: number;
  to: number;
  dataFrom: number;
  asOf: number;
}

export function holdMinutes(enterprise: EnterpriseInfo): number {
  const pollMinutes = Math.ceil((enterprise.pollIntervalS ?? DEFAULT_POLL_INTERVAL_S) / 60);
  return Math.max(0, pollMinutes - 1);
}

export function buildInput(data: EnterpriseData, window: Window): ModelInput {
  const hold = holdMinutes(data.enterprise);
  const series = new Map(
    data.facilities.map((f) => [
      f.id,
      buildSeries(f, data.minutes(f.id, window.dataFrom - hold * MINUTE_MS, window.to), window.dataFrom, window.to, {
        holdMinutes: hold,
        levelsAt: (minute) => data.levels.levelsAt(f.id, minute),
      }),
    ]),
  );
  const orders = data.orders.filter(
    (o) => o.enterpriseIds.includes(data.enterprise.id) && o.from < window.to && o.to > window.dataFrom,
  );
  const ids = new Set(data.facilities.map((f) => f.id));
  const baselines = new Map<string, OrderBaseline>();
  for (const o of orders) {
    const b = data.baseline(o);
    if (b) baselines.set(o.id, b);
  }
  const firstData = new Map<string, number>();
  for (const f of data.facilities) {
    const first = data.firstMinute(f.id);
    if (first !== undefined) firstData.set(f.id, first);
  }
  return {
    enterprise: data.enterprise,
    facilities: data.facilities,
    from: window.from,
    to: window.to,
    dataFrom: window.dataFrom,
    asOf: Math.max(window.asOf, window.to),
    firstData,
    series,
    levelsAt: (facility, minute) => data.levels.levelsAt(facility, minute),
    orders,
    notices: data.notices.filter((n) => ids.has(n.facility) && n.from < window.to && n.to > window.dataFrom),
    baselines,
    readings: [...data.readings(window.dataFrom, window.to)],
    config: data.config,
    timeZone: data.timeZone,
  };
}

/** The same input narrowed to [from, to) with data from dataFrom: series are views, not copies. */
export function sliceInput(input: ModelInput, from: number, to: number, dataFrom: number): ModelInput {
  const start = Math.max(dataFrom, input.dataFrom);
  return {
    ...input,
    from,
    to,
    dataFrom: start,
    asOf: Math.max(to, Math.min(input.asOf, to)),
    series: new Map([...input.series].map(([id, s]) => [id, sliceSeries(s, start, to)])),
    readings: input.readings.filter((r) => r.t >= start && r.t < to),
  };
}
