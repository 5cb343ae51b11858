// The alert workflow, pure (DESIGN.md "The models": open → acknowledged → dispatched →
// closed with a disposition; who and when for each step; a dispatch deadline, default 24 h,
// and an overdue flag). The store keeps the record; these functions decide what may change.
import { collectorError } from '../errors.js';
import type { AlertEvent } from '../models/contract.js';
import {
  ALERT_DISPOSITIONS,
  type AlertDisposition,
  type AlertRecord,
  type AlertState,
  type AlertWorkflowPatch,
} from '../store/store.js';

export const DEFAULT_DISPATCH_DEADLINE_MS = 24 * 60 * 60 * 1000;
/** Who the collector itself acts as when the data closes an alert. */
export const SYSTEM_ACTOR = 'system';
/** Models whose events are a daily list, not alerts to dispatch (they go to a ranking, not the queue). */
export const RANKING_MODELS: readonly string[] = ['risk-ranking'];

export type Step = 'acknowledge' | 'dispatch' | 'close';

/** Which states each step may start from; closing is possible at any point before closed. */
export const STEP_FROM: Record<Step, readonly AlertState[]> = {
  acknowledge: ['open'],
  dispatch: ['acknowledged'],
  close: ['open', 'acknowledged', 'dispatched'],
};

export interface StepRequest {
  by?: string;
  note?: string;
  /** dispatch: who is sent. */
  assignee?: string;
  /** close: what it was. */
  disposition?: string;
}

/** An alert nobody dispatched by its deadline (declared and closed ones never are). */
export function isOverdue(alert: Pick<AlertRecord, 'state' | 'deadlineAt'>, now: number): boolean {
  return alert.deadlineAt !== null && now > alert.deadlineAt && (alert.state === 'open' || alert.state === 'acknowledged');
}

/** The dispatch deadline a new alert gets: none for a declared one or an advisory. */
export function deadlineFor(event: Pick<AlertEvent, 'declared' | 'severity'>, now: number, deadlineMs = DEFAULT_DISPATCH_DEADLINE_MS): number | null {
  return event.declared || event.severity === 'info' ? null : now + deadlineMs;
}

function appendNote(existing: string | null, by: string, text: string | undefined): string | null {
  return text ? [existing, `${by}: ${text}`].filter(Boolean).join('\n') : existing;
}

/** The patch an operator's step makes, or a TandemError saying why it cannot be made. */
export function stepPatch(step: Step, alert: Pick<AlertRecord, 'id' | 'state' | 'note'>, request: StepRequest, now: number): AlertWorkflowPatch {
  if (!STEP_FROM[step].includes(alert.state)) {
    const hint = step === 'dispatch' && alert.state === 'open' ? '; acknowledge it first' : '';
    const verb = step === 'dispatch' ? 'dispatched' : `${step}d`;
    throw collectorError('TANDEM_COLLECTOR_CONFLICT', `alert ${alert.id} is ${alert.state}; it cannot be ${verb}${hint}`);
  }
  const by = request.by?.trim() || 'operator';
  const text = [request.note?.trim(), step === 'dispatch' && request.assignee ? `→ ${request.assignee.trim()}` : undefined].filter(Boolean).join(' ');
  const note = appendNote(alert.note, by, text || undefined);
  if (step === 'acknowledge') return { state: 'acknowledged', acknowledgedBy: by, acknowledgedAt: now, note };
  if (step === 'dispatch') return { state: 'dispatched', dispatchedBy: by, dispatchedAt: now, note };
  if (!ALERT_DISPOSITIONS.includes(request.disposition as AlertDisposition)) {
    throw collectorError('TANDEM_COLLECTOR_INVALID', `disposition: expected one of ${ALERT_DISPOSITIONS.join(', ')}, got ${JSON.stringify(request.disposition)}`);
  }
  return { state: 'closed', disposition: request.disposition as AlertDisposition, closedBy: by, closedAt: now, note };
}

/**
 * What the workflow does after a model's event created or extended an alert:
 * - inside a notice: recorded as declared, closed by the system, no deadline (DESIGN.md "Notice");
 * - withdrawn (later data no longer shows it, e.g. a gap the backlog filled): closed by the
 *   system as a false alarm, with the reason, unless someone was already dispatched;
 * - a declared alert whose notice went away (re-evaluated undeclared): open again with a deadline;
 * - otherwise extending events change the window and evidence only: the operator's state stays.
 */
export function eventPatch(alert: AlertRecord, now: number, deadlineMs = DEFAULT_DISPATCH_DEADLINE_MS): AlertWorkflowPatch | null {
  const pending = alert.state === 'open' || alert.state === 'acknowledged';
  if (alert.withdrawn) {
    if (!pending) return null;
    return {
      state: 'closed',
      disposition: 'false-alarm',
      closedBy: SYSTEM_ACTOR,
      closedAt: now,
      note: appendNote(alert.note, SYSTEM_ACTOR, `withdrawn: ${alert.withdrawn}`),
    };
  }
  if (alert.declared && pending) {
    return { state: 'closed', disposition: 'declared', closedBy: SYSTEM_ACTOR, closedAt: now, deadlineAt: null };
  }
  if (!alert.declared && alert.state === 'closed' && alert.disposition === 'declared' && alert.closedBy === SYSTEM_ACTOR) {
    return { state: 'open', disposition: null, closedBy: null, closedAt: null, deadlineAt: deadlineFor(alert, now, deadlineMs) };
  }
  return null;
}
