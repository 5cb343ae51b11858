// An enterprise's state on the overview, in the order an operator must act on it:
// offline (its gateway is down: nothing below can be trusted) > alert (an open alert of
// any model but data-gap) > data gap (a metered facility silent) > running in tandem.
import { MINUTE_MS } from './power-series.js';

/** Most urgent first. */
export const ENTERPRISE_STATES = ['offline', 'alert', 'gap', 'tandem'] as const;
export type EnterpriseState = (typeof ENTERPRISE_STATES)[number];

/** DESIGN.md data-gap: a meter silent ≥ max(3 poll intervals, 5 min) is a gap. */
const GAP_POLLS = 3;
const GAP_MIN_MS = 5 * MINUTE_MS;

export function gapAfterMs(pollIntervalS: number): number {
  return Math.max(GAP_POLLS * pollIntervalS * 1000, GAP_MIN_MS);
}

export interface StateInputs {
  /** The gateway's last state message: true, false, or null when it never connected. */
  online: boolean | null;
  /** Newest minute with data per metered facility (null: none in the look-back). */
  lastDataAt: (number | null)[];
  pollIntervalS: number;
  /** Alerts not closed, by model. */
  activeModels: string[];
  now: number;
}

export function enterpriseState(s: StateInputs): EnterpriseState {
  if (s.online !== true) return 'offline';
  if (s.activeModels.some((m) => m !== 'data-gap')) return 'alert';
  // The current minute is still filling: count silence from the end of the newest full minute.
  const silent = s.lastDataAt.some((at) => at === null || s.now - (at + MINUTE_MS) >= gapAfterMs(s.pollIntervalS));
  if (silent || s.activeModels.includes('data-gap')) return 'gap';
  return 'tandem';
}
