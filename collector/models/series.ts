// Dense per-minute arrays of one facility, what the models scan: index i is the minute
// `from + i × 60 000`. Typed arrays keep 30 days × many facilities in seconds (issue 6).
import type { FacilityInfo, FacilityMinute } from './contract.js';
import { stateCode, STATE_CODES, type Levels } from './facility-state.js';
import { MINUTE_MS } from './model.js';

export interface Series {
  facility: string;
  from: number;
  length: number;
  /** Mean power (W); NaN where no meter reported. */
  powerW: Float64Array;
  /** 1 where every meter of the facility reported (or is held, see holdMinutes), else 0. */
  complete: Uint8Array;
  /** STATE_CODES; `unknown` wherever the minute is not complete (a partial sum is no power). */
  state: Uint8Array;
}

export interface SeriesOptions {
  /**
   * A meter polled less often than every minute leaves minutes without readings; its last
   * value holds for this many minutes (poll interval − 1 min), so they are not gaps.
   */
  holdMinutes?: number;
  /** Levels in effect at a minute (they are learned per local day). */
  levelsAt: (minute: number) => Levels | undefined;
}

export function buildSeries(
  facility: Pick<FacilityInfo, 'id' | 'meterIds'>,
  minutes: readonly FacilityMinute[],
  from: number,
  to: number,
  options: SeriesOptions,
): Series {
  const length = Math.max(0, Math.round((to - from) / MINUTE_MS));
  const powerW = new Float64Array(length).fill(NaN);
  const complete = new Uint8Array(length);
  const state = new Uint8Array(length);
  const expected = Math.max(1, facility.meterIds.length);
  for (const m of minutes) {
    const i = Math.round((m.minute - from) / MINUTE_MS);
    if (i < 0 || i >= length || m.powerW === null) continue;
    powerW[i] = m.powerW;
    complete[i] = m.metersReporting >= expected ? 1 : 0;
  }
  const hold = options.holdMinutes ?? 0;
  let held = 0;
  for (let i = 0; i < length; i++) {
    if (complete[i]) held = 0;
    else if (Number.isNaN(powerW[i]!) && i > 0 && complete[i - 1] && held < hold) {
      powerW[i] = powerW[i - 1]!;
      complete[i] = 1;
      held++;
    }
  }
  let levels: Levels | undefined;
  let levelsUntil = -Infinity;
  for (let i = 0; i < length; i++) {
    if (!complete[i]) {
      state[i] = STATE_CODES.unknown;
      continue;
    }
    const minute = from + i * MINUTE_MS;
    // Levels change at local midnight; asking again every quarter hour finds it in any zone.
    if (minute >= levelsUntil) {
      levels = options.levelsAt(minute);
      levelsUntil = minute - (minute % (15 * MINUTE_MS)) + 15 * MINUTE_MS;
    }
    state[i] = stateCode(powerW[i]!, levels);
  }
  return { facility: facility.id, from, length, powerW, complete, state };
}

/** A series with no data at all, for a facility the source returned nothing for. */
export function emptySeries(facility: string, from: number, to: number): Series {
  const length = Math.max(0, Math.round((to - from) / MINUTE_MS));
  return {
    facility,
    from,
    length,
    powerW: new Float64Array(length).fill(NaN),
    complete: new Uint8Array(length),
    state: new Uint8Array(length),
  };
}

/** The minutes [from, to) of a series, sharing its arrays (both inside it). */
export function sliceSeries(series: Series, from: number, to: number): Series {
  const a = Math.max(0, indexOf(series, from));
  const b = Math.min(series.length, Math.max(a, indexOf(series, to)));
  return {
    facility: series.facility,
    from: series.from + a * MINUTE_MS,
    length: b - a,
    powerW: series.powerW.subarray(a, b),
    complete: series.complete.subarray(a, b),
    state: series.state.subarray(a, b),
  };
}

/** Index of a minute in a series (may be out of range). */
export function indexOf(series: Pick<Series, 'from'>, minute: number): number {
  return Math.round((minute - series.from) / MINUTE_MS);
}
