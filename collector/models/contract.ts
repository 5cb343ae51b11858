// The seam between the collector's store/ingest and the models. Models are pure: they
// see facility minutes and readings passed in, and return alert events; no clock, no I/O.
import type { Reading } from '../../protocol/index.js';
import type { FacilityKind, Thresholds } from '../../protocol/index.js';

export type FacilityState = 'off' | 'idle' | 'running' | 'unknown';

/** One facility over one minute of event time, summed over its meters. */
export interface FacilityMinute {
  facility: string;
  /** Epoch ms of the minute's start (UTC, multiple of 60 000). */
  minute: number;
  /** Mean active power over the minute's readings, summed across the facility's meters (W); null when no meter reported. */
  powerW: number | null;
  /** Energy imported during the minute (kWh) from counter differences, null when unknown. */
  energyKWh: number | null;
  /** How many of the facility's meters reported in this minute. */
  metersReporting: number;
}

export interface FacilityInfo {
  id: string;
  enterpriseId: string;
  name: string;
  kind: FacilityKind;
  /** Treatment facility: ids of the production facilities it serves. */
  serves: string[];
  thresholds: Thresholds;
  meterIds: string[];
}

export interface EnterpriseInfo {
  id: string;
  name: string;
  group: string | null;
  gatewayId: string;
  /** IANA zone for daily models' day boundaries; absent: the engine's default (Asia/Shanghai). */
  timeZone?: string;
  /** The gateway's poll interval (s); data-gap waits max(3 polls, 5 min). Absent: 15 s. */
  pollIntervalS?: number;
}

/** A regulator's stop or limit-production window. */
export interface Order {
  id: string;
  kind: 'stop' | 'limit';
  /** Enterprise ids it applies to (a group order is expanded to its enterprises). */
  enterpriseIds: string[];
  from: number;
  to: number;
  /** For a limit order: the share of production power to cut, 0–100. */
  limitPct: number | null;
  /** Production facilities it binds; absent: all of each enterprise's production. */
  facilities?: string[];
}

/** An enterprise's declared maintenance or shutdown window for a facility. */
export interface Notice {
  id: string;
  facility: string;
  from: number;
  to: number;
  reason: string;
}

/** A reading with the facility its meter measures (ingest resolves it). */
export interface FacilityReading extends Reading {
  facility: string;
}

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/**
 * What a model says about one condition. The same `key` across evaluations is the same
 * ongoing condition: the alert store extends the existing alert instead of opening another.
 */
export interface AlertEvent {
  model: string;
  /** Stable identity of the condition, e.g. `treatment-off:ent-a:dust-1:<start minute>`. */
  key: string;
  enterpriseId: string;
  facilities: string[];
  severity: AlertSeverity;
  /** Event-time window of the condition; `to` grows while it lasts. */
  from: number;
  to: number;
  /** True once the condition has ended (the window is final). */
  ended: boolean;
  /** The numbers that tripped the rule, for the inspector. */
  evidence: Record<string, number | string | boolean | null>;
  /** Inside a declared notice: recorded as declared, not raised as a violation. */
  declared: boolean;
  message: string;
  /** Event time at which the rule was met (run start + dwell; end of day for daily models). */
  detectedAt?: number;
  /**
   * Set when re-evaluation with data that arrived later no longer finds the condition (a
   * data gap filled by the backlog, a run merged into a longer one): why it was withdrawn.
   */
  withdrawn?: string;
}

/** Just the AlertEvent fields of an alert (a stored alert carries its workflow beside them). */
export function alertEventOf(e: AlertEvent): AlertEvent {
  return {
    model: e.model,
    key: e.key,
    enterpriseId: e.enterpriseId,
    facilities: e.facilities,
    severity: e.severity,
    from: e.from,
    to: e.to,
    ended: e.ended,
    evidence: e.evidence,
    declared: e.declared,
    message: e.message,
    ...(e.detectedAt !== undefined && { detectedAt: e.detectedAt }),
    ...(e.withdrawn !== undefined && { withdrawn: e.withdrawn }),
  };
}
