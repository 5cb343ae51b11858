// Runs of a per-minute condition, the shape every real-time rule shares: "condition true
// for ≥ dwell minutes". A minute is true (1), false (0) or unknown (-1, no data). Unknown
// breaks a run, so a dwell never completes across a gap (issue 6: true at 06:00, no data
// until 07:45, a 90-minute rule must not fire at 07:30). Runs are also cut where a notice
// begins or ends, so the declared part is its own alert (DESIGN.md "Notice").
import type { AlertEvent, AlertSeverity, Notice } from './contract.js';
import { MINUTE_MS } from './model.js';

export const TRUE = 1;
export const FALSE = 0;
export const UNKNOWN = -1;

/** Indices into the condition array; end is exclusive. */
export interface Run {
  start: number;
  end: number;
  /** A known minute (or a notice boundary) follows: the condition is over, not just not seen yet. */
  ended: boolean;
  declared: boolean;
}

/** Maximal runs of TRUE at least minLength long, cut where `declared` changes. */
export function findRuns(cond: Int8Array, minLength: number, declared?: Uint8Array): Run[] {
  let lastKnown = cond.length - 1;
  while (lastKnown >= 0 && cond[lastKnown] === UNKNOWN) lastKnown--;
  const runs: Run[] = [];
  let i = 0;
  while (i < cond.length) {
    if (cond[i] !== TRUE) {
      i++;
      continue;
    }
    const flag = declared ? declared[i]! : 0;
    let end = i + 1;
    while (end < cond.length && cond[end] === TRUE && (declared ? declared[end]! : 0) === flag) end++;
    if (end - i >= minLength) {
      const ended = end < cond.length && (cond[end] === TRUE || end <= lastKnown);
      runs.push({ start: i, end, ended, declared: flag === 1 });
    }
    i = end;
  }
  return runs;
}

/** 1 for each minute of [from, from + length min) that a notice for one of the facilities covers. */
export function declaredMask(notices: readonly Notice[], facilities: readonly string[], from: number, length: number): Uint8Array {
  const mask = new Uint8Array(length);
  for (const n of notices) {
    if (!facilities.includes(n.facility)) continue;
    const a = Math.max(0, Math.ceil((n.from - from) / MINUTE_MS));
    const b = Math.min(length, Math.ceil((n.to - from) / MINUTE_MS));
    mask.fill(1, a, Math.max(a, b));
  }
  return mask;
}

/** True when any notice for one of the facilities overlaps [from, to). */
export function noticeOverlaps(notices: readonly Notice[], facilities: readonly string[], from: number, to: number): boolean {
  return notices.some((n) => facilities.includes(n.facility) && n.from < to && n.to > from);
}

export interface RunEventSpec {
  model: string;
  /** What identifies the condition besides its start, e.g. the treatment facility id. */
  subject: string;
  enterpriseId: string;
  facilities: string[];
  severity: AlertSeverity;
  /** Minute of index 0 of the condition array. */
  base: number;
  run: Run;
  dwellMinutes: number;
  evidence: AlertEvent['evidence'];
  message: string;
}

export function runEvent(spec: RunEventSpec): AlertEvent {
  const from = spec.base + spec.run.start * MINUTE_MS;
  return {
    model: spec.model,
    key: conditionKey(spec.model, spec.subject, from),
    enterpriseId: spec.enterpriseId,
    facilities: spec.facilities,
    severity: spec.severity,
    from,
    to: spec.base + spec.run.end * MINUTE_MS,
    ended: spec.run.ended,
    evidence: { minutes: spec.run.end - spec.run.start, ...spec.evidence },
    declared: spec.run.declared,
    message: spec.message,
    detectedAt: from + spec.dwellMinutes * MINUTE_MS,
  };
}

/** Stable identity of a condition: model, subject and the event time it began. */
export function conditionKey(model: string, subject: string, from: number): string {
  return `${model}:${subject}:${new Date(from).toISOString()}`;
}

/** Whether the run, in a condition array starting at base, overlaps [from, to). */
export function runOverlaps(run: Run, base: number, from: number, to: number): boolean {
  return base + run.end * MINUTE_MS > from && base + run.start * MINUTE_MS < to;
}

/** Mean of values[start..end) ignoring NaN; null when none. */
export function meanOf(values: Float64Array, start: number, end: number): number | null {
  let sum = 0;
  let n = 0;
  for (let i = start; i < end; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) {
      sum += v;
      n++;
    }
  }
  return n ? Math.round((sum / n) * 10) / 10 : null;
}

/** Three-valued AND: false wins over unknown, unknown over true. */
export function and3(a: number, b: number): number {
  if (a === FALSE || b === FALSE) return FALSE;
  return a === TRUE && b === TRUE ? TRUE : UNKNOWN;
}

/** TRUE/FALSE for a known test, UNKNOWN when the minute has no data. */
export function known(test: boolean, isKnown: boolean): number {
  return isKnown ? (test ? TRUE : FALSE) : UNKNOWN;
}
