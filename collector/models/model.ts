// The one interface every model implements (DESIGN.md "The models"), and what it is given.
// A model is pure: the same ModelInput gives the same AlertEvents. It never reads a clock or
// does I/O; the engine (live) and the scorer (replay) build the input and call evaluate().
import type { AlertEvent, EnterpriseInfo, FacilityInfo, FacilityReading, Notice, Order } from './contract.js';
import type { Levels } from './facility-state.js';
import type { Series } from './series.js';

export type ModelKind = 'realtime' | 'daily' | 'advance';

/** A model's tunable numbers (minutes, percentages, ratios), named with their unit. */
export type Params = Record<string, number>;

/**
 * Per-enterprise and per-facility overrides of model defaults ("every threshold is
 * configurable per enterprise or facility"). A facility override beats its enterprise's.
 */
export interface ModelConfig {
  enterprises?: Record<string, Record<string, Params>>;
  facilities?: Record<string, Record<string, Params>>;
}

/** What an order's pre-order baseline was (order-breach, consumption-surge). */
export interface OrderBaseline {
  /** Per bound production facility: its mean power over the minutes it ran (W). */
  runningPowerW: Record<string, number>;
  /** Mean summed production energy per day (kWh). */
  dailyEnergyKWh: number;
}

export interface ModelInput {
  /** Models are evaluated one enterprise at a time (DESIGN.md: partitioned by enterprise). */
  enterprise: EnterpriseInfo;
  facilities: FacilityInfo[];
  /** Report conditions overlapping [from, to) (epoch ms, minute-aligned). */
  from: number;
  to: number;
  /** Where the series and readings start (≤ from, by the model's look-back). */
  dataFrom: number;
  /** Live horizon: minutes in [to, asOf) have no data (yet); only data-gap reads it. */
  asOf: number;
  /**
   * First minute the store holds for each facility (data-gap: silence before a facility ever
   * reported is commissioning, not a gap). Absent: its first data in the series.
   */
  firstData: Map<string, number>;
  /** Every facility of the enterprise, dense per minute over [dataFrom, to). */
  series: Map<string, Series>;
  /** Thresholds in effect for a facility at a minute (configured over learned, per local day). */
  levelsAt(facility: string, minute: number): Levels | undefined;
  orders: Order[];
  notices: Notice[];
  /** Pre-order baselines by order id, for this enterprise. */
  baselines: Map<string, OrderBaseline>;
  /** Raw readings, time-ordered, for models that read them (readsReadings): at least their look-back before `to`. */
  readings: FacilityReading[];
  config: ModelConfig;
  /** IANA zone of the enterprise's local day. */
  timeZone: string;
}

export interface Model {
  id: string;
  kind: ModelKind;
  /** One line for the catalogue and the API. */
  summary: string;
  defaults: Params;
  /** Reads raw readings (input.readings), not only minute series: the engine loads them for it. */
  readsReadings?: boolean;
  /** How much data before `from` the rule needs (ms), e.g. its dwell or its history. */
  lookbackMs(params: Params): number;
  /** The shortest condition it reports (ms); 0 for day-level models. Scoring uses it. */
  dwellMs(params: Params): number;
  evaluate(input: ModelInput): AlertEvent[];
}

/** The model's parameters for one facility (or the enterprise when facility is omitted). */
export function paramsFor(model: Model, input: Pick<ModelInput, 'config' | 'enterprise'>, facility?: string): Params {
  return {
    ...model.defaults,
    ...input.config.enterprises?.[input.enterprise.id]?.[model.id],
    ...(facility ? input.config.facilities?.[facility]?.[model.id] : undefined),
  };
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
