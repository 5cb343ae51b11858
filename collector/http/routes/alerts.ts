// Alerts over HTTP: list with filters, one with its evidence, and the operator's steps
// open → acknowledged → dispatched → closed. The rules are collector/alerts (lifecycle.ts);
// steps go through the alert service so that each change reaches its webhooks.
import type { AlertService } from '../../alerts/service.js';
import { alertsCsv } from '../../alerts/csv.js';
import type { Step } from '../../alerts/lifecycle.js';
import { collectorError } from '../../errors.js';
import { allAlerts } from '../../store/alert-pages.js';
import { ALERT_STATES, type AlertState } from '../../store/store.js';
import { integer, instant, notFound, objectBody, timeRange } from '../params.js';
import type { Route } from '../router.js';

/** Rows a CSV export holds at most (a month of a city's alerts fits); more asks for a narrower range. */
const MAX_CSV_ROWS = 200_000;
/** Rows one list answer holds at most; page with ?before=<id>. */
const MAX_LIST = 2000;
const DEFAULT_LIST = 500;
/** Longest note, name or assignee kept (characters). */
const MAX_TEXT = 500;
const STEPS: Step[] = ['acknowledge', 'dispatch', 'close'];

function alertId(raw: string | undefined): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id < 1) throw collectorError('TANDEM_COLLECTOR_INVALID', `alert id: expected a whole number, got '${raw}'`);
  return id;
}

/** `state=open,acknowledged`: the states asked for, each checked. */
function stateFilter(query: URLSearchParams): AlertState[] | undefined {
  const states = query.get('state')?.split(',').filter(Boolean);
  const unknown = states?.filter((s) => !ALERT_STATES.includes(s as AlertState));
  if (unknown?.length) throw collectorError('TANDEM_COLLECTOR_INVALID', `state: '${unknown.join("', '")}' is not one of ${ALERT_STATES.join(', ')}`);
  return states as AlertState[] | undefined;
}

function text(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > MAX_TEXT) throw collectorError('TANDEM_COLLECTOR_INVALID', `${name}: expected text of at most ${MAX_TEXT} characters`);
  return value;
}

/**
 * The alert routes (mount with startCollector's `routes`). `service` is asked on each request:
 * the alert service is built on the collector's store, which opens after the routes are given.
 */
export function alertRoutes(service: () => AlertService): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/alerts',
      role: 'read',
      async handler({ query }) {
        const before = query.get('before');
        const list = await service().list({
          model: query.get('model') || undefined,
          enterpriseId: query.get('enterprise') || undefined,
          states: stateFilter(query),
          from: query.has('from') ? instant(query, 'from', 0) : undefined,
          to: query.has('to') ? instant(query, 'to', 0) : undefined,
          limit: integer(query, 'limit', DEFAULT_LIST, 1, MAX_LIST),
          beforeId: before ? alertId(before) : undefined,
        });
        return { body: { alerts: list } };
      },
    },
    {
      method: 'GET',
      path: '/api/v1/alerts.csv',
      role: 'read',
      async handler({ query }, { now }) {
        const at = now();
        const range = timeRange(query, at);
        const filter = { model: query.get('model') || undefined, enterpriseId: query.get('enterpriseId') || undefined, states: stateFilter(query), ...range };
        const alerts = await allAlerts((f) => service().list(f), filter, MAX_CSV_ROWS);
        const day = (t: number) => new Date(t).toISOString().replace(/[-:]|\.\d+/g, '');
        return { body: alertsCsv(alerts, range, at), contentType: 'text/csv; charset=utf-8', filename: `tandem-alerts-${day(range.from)}-${day(range.to)}.csv` };
      },
    },
    {
      method: 'GET',
      path: '/api/v1/alerts/:id',
      role: 'read',
      async handler({ params }) {
        const id = alertId(params.id);
        return { body: (await service().get(id)) ?? notFound(`alert ${id}`) };
      },
    },
    ...STEPS.map(
      (step): Route => ({
        method: 'POST',
        path: `/api/v1/alerts/:id/${step}`,
        role: 'admin',
        async handler({ params, body }) {
          const input = body === undefined ? {} : objectBody(body);
          const request = { by: text(input, 'by'), note: text(input, 'note'), assignee: text(input, 'assignee'), disposition: text(input, 'disposition') };
          return { body: await service().step(alertId(params.id), step, request) };
        },
      }),
    ),
  ];
}
