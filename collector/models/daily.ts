// What daily and advance models share: the local days of an input, per-day sums over
// series, and the day-level event (DESIGN.md: daily models cut days at local midnight).
import type { AlertEvent, AlertSeverity } from './contract.js';
import { STATE_CODES } from './facility-state.js';
import { anyRunning, type Link } from './links.js';
import { localDaysBetween, localDayEnd } from './local-time.js';
import { MINUTE_MS, type ModelInput } from './model.js';
import { conditionKey, noticeOverlaps, TRUE } from './runs.js';
import type { Series } from './series.js';

/** A local day as index range [start, end) into the input's series. */
export interface Day {
  dayStart: number;
  start: number;
  end: number;
}

const KWH_PER_W_MINUTE = 1 / 60 / 1000;
/** A day with less than this share of complete minutes is not judged (data-gap's job). */
export const MIN_KNOWN_SHARE = 0.8;

/** The local days covering [dataFrom, to), clipped to the series. */
export function daysOf(input: ModelInput): Day[] {
  return localDaysBetween(input.dataFrom, input.to, input.timeZone).map((dayStart) => ({
    dayStart,
    start: Math.max(0, Math.round((dayStart - input.dataFrom) / MINUTE_MS)),
    end: Math.round((Math.min(localDayEnd(dayStart, input.timeZone), input.to) - input.dataFrom) / MINUTE_MS),
  }));
}

/** The day being reported (the one starting at input.from) and those before it. */
export function splitDays(input: ModelInput): { today: Day | undefined; before: Day[] } {
  const days = daysOf(input);
  return { today: days.find((d) => d.dayStart === input.from), before: days.filter((d) => d.dayStart < input.from) };
}

export interface Sums {
  energyKWh: number;
  completeMinutes: number;
  minutes: number;
}

/** Energy of the summed series over complete minutes of [start, end), and how many were complete. */
export function sums(series: readonly Series[], start: number, end: number, include?: (i: number) => boolean): Sums {
  let energy = 0;
  let complete = 0;
  let minutes = 0;
  for (let i = start; i < end; i++) {
    if (include && !include(i)) continue;
    minutes++;
    if (!series.every((s) => s.complete[i])) continue;
    complete++;
    for (const s of series) energy += s.powerW[i]!;
  }
  return { energyKWh: energy * KWH_PER_W_MINUTE, completeMinutes: complete, minutes };
}

/**
 * Minutes production ran while the treatment's state was known, and of those the minutes
 * the treatment ran alongside (a minute the treatment's meter cannot tell is left out).
 */
export function runningAlongside(link: Link, start: number, end: number, include?: (i: number) => boolean): { production: number; both: number } {
  let production = 0;
  let both = 0;
  for (let i = start; i < end; i++) {
    if (include && !include(i)) continue;
    if (link.treatmentSeries.state[i] === STATE_CODES.unknown || anyRunning(link.productionSeries, i) !== TRUE) continue;
    production++;
    if (link.treatmentSeries.state[i] === STATE_CODES.running) both++;
  }
  return { production, both };
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export interface DayEventSpec {
  model: string;
  subject: string;
  input: ModelInput;
  facilities: string[];
  severity: AlertSeverity;
  evidence: AlertEvent['evidence'];
  message: string;
  /** Where the condition's window starts when it is a trend over earlier days too (default: the day). */
  windowFrom?: number;
}

/** A day-level alert, keyed by its day: the day (or the trend ending with it) is its window, final when reported. */
export function dayEvent(spec: DayEventSpec): AlertEvent {
  const { input } = spec;
  const from = spec.windowFrom ?? input.from;
  return {
    model: spec.model,
    key: conditionKey(spec.model, spec.subject, input.from),
    enterpriseId: input.enterprise.id,
    facilities: spec.facilities,
    severity: spec.severity,
    from,
    to: input.to,
    ended: true,
    evidence: spec.evidence,
    declared: noticeOverlaps(input.notices, spec.facilities, from, input.to),
    message: spec.message,
    detectedAt: input.to,
  };
}
