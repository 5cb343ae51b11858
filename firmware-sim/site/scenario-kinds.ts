// The scenarios a site can schedule: what each targets, which DESIGN.md models it should set
// off, and how long it must last before they can (their dwell times).
import { FAULT_KINDS, type FaultKind } from '../meter/faults.js';

export const PROCESS_KINDS = [
  'treatment-off',
  'late-start',
  'early-stop',
  'treatment-weak',
  'treatment-degrading',
  'cycling',
  'night-production',
  'production-surge',
  'stop-order',
  'limit-order',
] as const;
export type ProcessKind = (typeof PROCESS_KINDS)[number];
export type ScenarioKind = ProcessKind | FaultKind;
export const SCENARIO_KINDS: readonly ScenarioKind[] = [...PROCESS_KINDS, ...FAULT_KINDS];

export interface KindInfo {
  target: 'treatment' | 'production' | 'enterprise' | 'meter';
  /** Model ids (DESIGN.md) expected to fire on it. */
  models: string[];
  /** Shortest stretch of the behaviour the models notice, minutes; shorter ones get no label. */
  minMinutes: number;
  /** Stretches of behaviour closer than this are one label (cycling's on-phases), minutes. */
  mergeMinutes: number;
  /** Fewest restarts of the treatment within a stretch for a label (cycling: the models count starts, not minutes). */
  minStarts?: number;
  /** Labelled over its whole window rather than where it shows minute by minute (meter faults, slow wear). */
  wholeWindow?: boolean;
  /** Parameters with their defaults. */
  params: Record<string, number | boolean>;
}

export const KINDS: Record<ScenarioKind, KindInfo> = {
  'treatment-off': { target: 'treatment', models: ['treatment-off'], minMinutes: 10, mergeMinutes: 0, params: {} },
  'late-start': { target: 'treatment', models: ['out-of-sync'], minMinutes: 4, mergeMinutes: 0, params: { delayMin: 15 } },
  'early-stop': { target: 'treatment', models: ['out-of-sync'], minMinutes: 4, mergeMinutes: 0, params: { advanceMin: 15 } },
  'treatment-weak': { target: 'treatment', models: ['treatment-weak'], minMinutes: 30, mergeMinutes: 0, params: { level: 0.3 } },
  // Wear is one slow case that a 14-day model sees late, not stretches of minutes.
  'treatment-degrading': { target: 'treatment', models: ['treatment-degrading'], minMinutes: 3 * 1440, mergeMinutes: 0, wholeWindow: true, params: { dropPct: 30 } },
  // frequent-cycling's default: 6 starts in 2 h.
  cycling: { target: 'treatment', models: ['frequent-cycling'], minMinutes: 0, mergeMinutes: 15, minStarts: 6, params: { onMin: 6, offMin: 6 } },
  'night-production': { target: 'production', models: ['night-production', 'treatment-off'], minMinutes: 10, mergeMinutes: 0, params: { level: 0.6 } },
  'production-surge': { target: 'production', models: ['consumption-surge'], minMinutes: 360, mergeMinutes: 0, params: { level: 0.9 } },
  'stop-order': { target: 'enterprise', models: ['order-breach'], minMinutes: 10, mergeMinutes: 0, params: { obey: false } },
  'limit-order': { target: 'enterprise', models: ['order-breach'], minMinutes: 30, mergeMinutes: 0, params: { limitPct: 30, obey: false } },
  silent: { target: 'meter', models: ['data-gap'], minMinutes: 5, mergeMinutes: 0, wholeWindow: true, params: {} },
  slow: { target: 'meter', models: [], minMinutes: 0, mergeMinutes: 0, wholeWindow: true, params: { delayMs: 800 } },
  'bad-crc': { target: 'meter', models: ['data-gap'], minMinutes: 5, mergeMinutes: 0, wholeWindow: true, params: {} },
  exception: { target: 'meter', models: ['data-gap'], minMinutes: 5, mergeMinutes: 0, wholeWindow: true, params: { code: 4 } },
  'energy-reset': { target: 'meter', models: ['meter-integrity'], minMinutes: 0, mergeMinutes: 0, wholeWindow: true, params: {} },
  'reversed-ct': { target: 'meter', models: ['meter-integrity'], minMinutes: 0, mergeMinutes: 0, wholeWindow: true, params: {} },
  'lost-phase': { target: 'meter', models: ['meter-integrity'], minMinutes: 0, mergeMinutes: 0, wholeWindow: true, params: { phase: 1 } },
  frozen: { target: 'meter', models: ['meter-integrity'], minMinutes: 30, mergeMinutes: 0, wholeWindow: true, params: {} },
};

export function isProcessKind(kind: ScenarioKind): kind is ProcessKind {
  return (PROCESS_KINDS as readonly string[]).includes(kind);
}
