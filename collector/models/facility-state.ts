// Facility state per minute (DESIGN.md "Vocabulary": off, idle, running, unknown) from its
// power against thresholds, configured per facility or learned from its own history.
//
// Learning (DESIGN.md "Learned running level"), over the 15-minute mean powers of the last
// 60 days:
//   - running level = the mode of the values above the mean (a robust high level: the
//     power it draws when working, whatever its shifts and ramps), taken as the median of
//     the values in the fullest of HISTOGRAM_BINS equal bins;
//   - rest level = the same mode of the values at or below the mean (standby or off);
//   - off below rest + 25 % of the span, running above rest + 50 % of the span, idle between.
// A history with one level only (the span under 30 % of it) is read as always running when
// that level is at least MIN_RUNNING_W (rest taken as 0 W), else as always off.
// So a fan throttled to 40 % of its running power is `idle` (treatment-weak sees it), one
// switched off is `off` (treatment-off sees it). A minute with no data is `unknown`, never off;
// so is one with negative power (a reversed CT: meter-integrity reports it), which says
// nothing about whether the facility runs.
import type { FacilityInfo, FacilityMinute, FacilityState } from './contract.js';

export interface Levels {
  offBelowW: number;
  runningAboveW: number;
  runningLevelW: number;
}

/** Learned values with what they were learned from, for the API to show beside overrides. */
export interface LearnedLevels extends Levels {
  restLevelW: number;
  quarterHours: number;
}

const HISTOGRAM_BINS = 50;
const OFF_SHARE_OF_SPAN = 0.25;
const RUNNING_SHARE_OF_SPAN = 0.5;
/** A span smaller than this (W) is noise, not a working/standby difference. */
const MIN_SPAN_W = 200;
/** Below this share of the running level the two levels are one (a unimodal history). */
const MIN_RELATIVE_SPAN = 0.3;
/** A one-level history at or above this power (W) is a facility that always ran. */
const MIN_RUNNING_W = 500;
const QUARTER_MINUTES = 15;
/** A quarter-hour counts when at least this many of its minutes have data. */
const MIN_MINUTES_PER_QUARTER = 8;

/** Below this (W) a power reading is negative, not a small load: the meter is wrong. */
export const NEGATIVE_POWER_W = -50;

export const STATE_CODES = { unknown: 0, off: 1, idle: 2, running: 3 } as const;
export const STATE_NAMES: readonly FacilityState[] = ['unknown', 'off', 'idle', 'running'];
export type StateCode = (typeof STATE_CODES)[FacilityState];

export function stateCode(powerW: number, levels: Levels | undefined): StateCode {
  if (!levels || Number.isNaN(powerW) || powerW < NEGATIVE_POWER_W) return STATE_CODES.unknown;
  if (powerW < levels.offBelowW) return STATE_CODES.off;
  if (powerW >= levels.runningAboveW) return STATE_CODES.running;
  return STATE_CODES.idle;
}

export function stateOf(powerW: number | null, levels: Levels | undefined): FacilityState {
  return STATE_NAMES[stateCode(powerW ?? NaN, levels)]!;
}

/** 15-minute mean powers (W) of minutes sorted by time; quarters with too little data are skipped. */
export function quarterHourPowers(minutes: readonly Pick<FacilityMinute, 'minute' | 'powerW'>[]): number[] {
  const quarterMs = QUARTER_MINUTES * 60_000;
  const out: number[] = [];
  let quarter = NaN;
  let sum = 0;
  let count = 0;
  const close = () => {
    if (count >= MIN_MINUTES_PER_QUARTER) out.push(sum / count);
  };
  for (const m of minutes) {
    if (m.powerW === null) continue;
    const q = Math.floor(m.minute / quarterMs);
    if (q !== quarter) {
      close();
      quarter = q;
      sum = 0;
      count = 0;
    }
    sum += m.powerW;
    count++;
  }
  close();
  return out;
}

/** Learns levels from 15-minute powers; null when there are none. */
export function learnLevels(quarterPowers: readonly number[]): LearnedLevels | null {
  if (quarterPowers.length === 0) return null;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of quarterPowers) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const mean = sum / quarterPowers.length;
  const high = quarterPowers.filter((v) => v > mean);
  const low = quarterPowers.filter((v) => v <= mean);
  const runningLevelW = high.length ? histogramMode(high, min, max) : max;
  let restLevelW = histogramMode(low, min, max);
  const oneLevel = runningLevelW - restLevelW < MIN_RELATIVE_SPAN * runningLevelW;
  if (oneLevel && runningLevelW >= MIN_RUNNING_W) restLevelW = 0;
  const span = Math.max(runningLevelW - restLevelW, MIN_SPAN_W);
  return {
    runningLevelW,
    restLevelW,
    offBelowW: restLevelW + OFF_SHARE_OF_SPAN * span,
    runningAboveW: restLevelW + RUNNING_SHARE_OF_SPAN * span,
    quarterHours: quarterPowers.length,
  };
}

/** Median of the values in the fullest bin (ties: the higher bin) of [min, max]. */
function histogramMode(values: readonly number[], min: number, max: number): number {
  const width = (max - min) / HISTOGRAM_BINS;
  if (!(width > 0)) return values[0]!;
  const bins: number[][] = Array.from({ length: HISTOGRAM_BINS }, () => []);
  for (const v of values) bins[Math.min(HISTOGRAM_BINS - 1, Math.floor((v - min) / width))]!.push(v);
  let best = bins[0]!;
  for (const bin of bins) if (bin.length >= best.length) best = bin;
  best.sort((a, b) => a - b);
  return best[Math.floor(best.length / 2)]!;
}

/** Configured thresholds win over learned ones, each on its own (an operator may set one). */
export function effectiveLevels(facility: Pick<FacilityInfo, 'thresholds'>, learned: LearnedLevels | null): Levels | undefined {
  const t = facility.thresholds ?? {};
  const offBelowW = t.offBelowW ?? learned?.offBelowW;
  const runningAboveW = t.runningAboveW ?? learned?.runningAboveW;
  if (offBelowW === undefined || runningAboveW === undefined) return undefined;
  const runningLevelW = t.runningLevelW ?? learned?.runningLevelW ?? runningAboveW;
  return { offBelowW, runningAboveW: Math.max(runningAboveW, offBelowW), runningLevelW };
}

/** The learned and effective levels of a facility from its minutes (for the API). */
export function facilityLevels(
  facility: Pick<FacilityInfo, 'thresholds'>,
  minutes: readonly Pick<FacilityMinute, 'minute' | 'powerW'>[],
): { learned: LearnedLevels | null; effective: Levels | undefined } {
  const learned = learnLevels(quarterHourPowers(minutes));
  return { learned, effective: effectiveLevels(facility, learned) };
}
