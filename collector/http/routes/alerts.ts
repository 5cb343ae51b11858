// Alerts and their workflow (DESIGN.md "The models"): list with filters, one with its
// evidence, and the steps open → acknowledged → dispatched → closed with a disposition,
// each recorded with who and when. A step the alert's state does not allow is refused
// with 409 and the state it is in.
import { collectorError } from '../../errors.js';
import { ALERT_DISPOSITIONS, ALERT_STATES, type AlertDisposition, type AlertRecord, type AlertState, type AlertWorkflowPatch } from '../../store/store.js';
import { integer, instant, notFound, objectBody } from '../params.js';
import type { ApiContext, Route } from '../router.js';
import { isOverdue } from '../views/alert-reader.js';

/** Rows one list answer holds at most; page with ?before=<id>. */
const MAX_LIST = 2000;
const DEFAULT_LIST = 500;
/** Longest note or name kept (characters). */
const MAX_TEXT = 500;

type Step = 'acknowledge' | 'dispatch' | 'close';

/** Which states each step may start from (closing is possible at any point before closed). */
const STEP_FROM: Record<Step, AlertState[]> = {
  acknowledge: ['open'],
  dispatch: ['acknowledged'],
  close: ['open', 'acknowledged', 'dispatched'],
};

function withOverdue(alert: AlertRecord, now: number) {
  return { ...alert, overdue: isOverdue(alert, now) };
}

function text(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > MAX_TEXT) throw collectorError('TANDEM_COLLECTOR_INVALID', `${name}: expected text of at most ${MAX_TEXT} characters`);
  return value.trim();
}

function alertId(raw: string | undefined): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id < 1) throw collectorError('TANDEM_COLLECTOR_INVALID', `alert id: expected a whole number, got '${raw}'`);
  return id;
}

/** The patch one step makes, or the reason it cannot be made. */
function stepPatch(step: Step, alert: AlertRecord, input: Record<string, unknown>, now: number): AlertWorkflowPatch {
  if (!STEP_FROM[step].includes(alert.state)) {
    const hint = step === 'dispatch' && alert.state === 'open' ? '; acknowledge it first' : '';
    throw collectorError('TANDEM_COLLECTOR_CONFLICT', `alert ${alert.id} is ${alert.state}; it cannot be ${step === 'dispatch' ? 'dispatched' : `${step}d`}${hint}`);
  }
  const by = text(input, 'by') ?? 'operator';
  const lines = [text(input, 'note'), step === 'dispatch' && text(input, 'assignee') ? `→ ${text(input, 'assignee')}` : undefined].filter(Boolean);
  const note = lines.length ? [alert.note, `${by}: ${lines.join(' ')}`].filter(Boolean).join('\n') : alert.note;
  if (step === 'acknowledge') return { state: 'acknowledged', acknowledgedBy: by, acknowledgedAt: now, note };
  if (step === 'dispatch') return { state: 'dispatched', dispatchedBy: by, dispatchedAt: now, note };
  const disposition = input.disposition;
  if (!ALERT_DISPOSITIONS.includes(disposition as AlertDisposition)) {
    throw collectorError('TANDEM_COLLECTOR_INVALID', `disposition: expected one of ${ALERT_DISPOSITIONS.join(', ')}, got ${JSON.stringify(disposition)}`);
  }
  return { state: 'closed', disposition: disposition as AlertDisposition, closedBy: by, closedAt: now, note };
}

function stepRoute(step: Step): Route {
  return {
    method: 'POST',
    path: `/api/v1/alerts/:id/${step}`,
    role: 'admin',
    async handler({ params, body }, { store, now }: ApiContext) {
      const id = alertId(params.id);
      const alert = (await store.alert(id)) ?? notFound(`alert ${id}`);
      const at = now();
      const updated = (await store.updateAlert(id, stepPatch(step, alert, body === undefined ? {} : objectBody(body), at), at)) ?? notFound(`alert ${id}`);
      return { body: withOverdue(updated, at) };
    },
  };
}

export const alertRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/v1/alerts',
    role: 'read',
    async handler({ query }, { store, now }) {
      const states = query.get('state')?.split(',').filter(Boolean);
      const unknown = states?.filter((s) => !ALERT_STATES.includes(s as AlertState));
      if (unknown?.length) throw collectorError('TANDEM_COLLECTOR_INVALID', `state: '${unknown.join("', '")}' is not one of ${ALERT_STATES.join(', ')}`);
      const before = query.get('before');
      const alerts = await store.alerts({
        model: query.get('model') || undefined,
        enterpriseId: query.get('enterprise') || undefined,
        states: states as AlertState[] | undefined,
        from: query.has('from') ? instant(query, 'from', 0) : undefined,
        to: query.has('to') ? instant(query, 'to', 0) : undefined,
        limit: integer(query, 'limit', DEFAULT_LIST, 1, MAX_LIST),
        beforeId: before ? alertId(before) : undefined,
      });
      const at = now();
      return { body: { alerts: alerts.map((a) => withOverdue(a, at)) } };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/alerts/:id',
    role: 'read',
    async handler({ params }, { store, now }) {
      const id = alertId(params.id);
      return { body: withOverdue((await store.alert(id)) ?? notFound(`alert ${id}`), now()) };
    },
  },
  stepRoute('acknowledge'),
  stepRoute('dispatch'),
  stepRoute('close'),
];
