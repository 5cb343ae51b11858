// Read-only projections the web page needs in one request each (collector/web): who am I,
// the overview, an enterprise's power curves with its alerts, and the gateways table.
// They read through the Store interface only, like every other route.
import { collectorError } from '../../errors.js';
import type { FacilityInfo } from '../../models/contract.js';
import type { ApiRequest, Route } from '../router.js';
import { alertsOverlapping } from '../views/alert-reader.js';
import { gatewayRows } from '../views/gateway-rows.js';
import { overview } from '../views/overview.js';
import { DEFAULT_POINTS, latestPower, MAX_POINTS, powerSeries } from '../views/power-series.js';

/** Default chart window when the caller gives none: the last day (ms). */
const DEFAULT_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Longest window one request may ask for (ms): a little over a month. */
const MAX_WINDOW_MS = 62 * 24 * 60 * 60 * 1000;

export const viewRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/v1/views/whoami',
    role: 'read',
    handler: ({ role }) => ({ body: { role } }),
  },
  {
    method: 'GET',
    path: '/api/v1/views/overview',
    role: 'read',
    handler: async (_request, { store, now }) => ({ body: await overview(store, now()) }),
  },
  {
    method: 'GET',
    path: '/api/v1/views/enterprises/:id/series',
    role: 'read',
    async handler(request, { store, now }) {
      const at = now();
      const id = request.params.id!;
      const enterprise = (await store.enterpriseInfos()).find((e) => e.id === id);
      if (!enterprise) throw collectorError('TANDEM_COLLECTOR_NOT_FOUND', `no enterprise '${id}'; GET /api/v1/views/overview lists them`);
      const { from, to, points } = rangeOf(request, at);
      const only = request.query.get('facilities')?.split(',').filter(Boolean);
      const all = (await store.facilityInfos()).filter((f) => f.enterpriseId === id);
      const unknown = only?.filter((f) => !all.some((x) => x.id === f));
      if (unknown?.length) throw collectorError('TANDEM_COLLECTOR_INVALID', `facilities: '${unknown.join("', '")}' is not a facility of enterprise '${id}'`);
      const shown = only ? withLinked(all, only) : all;
      const series = await powerSeries(store, shown, from, to, points);
      const facilities = await Promise.all(all.map(async (f) => ({ id: f.id, name: f.name, kind: f.kind, serves: f.serves, latestW: (await latestPower(store, f.id, at))?.powerW ?? null })));
      return { body: { enterprise, facilities, from, to, ...series, alerts: await alertsOverlapping(store, id, from, to, at) } };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/views/gateways',
    role: 'read',
    handler: async (_request, { store, now }) => ({ body: { now: now(), gateways: await gatewayRows(store) } }),
  },
];

/** The facilities named and those linked to them, so an alert's chart shows both sides (DESIGN.md "Link"). */
function withLinked(all: FacilityInfo[], ids: string[]): FacilityInfo[] {
  const named = new Set(ids);
  const linked = (f: FacilityInfo) => f.serves.some((p) => named.has(p)) || all.some((t) => named.has(t.id) && t.serves.includes(f.id));
  return all.filter((f) => named.has(f.id) || linked(f));
}

/** ?from=&to= (epoch ms, default the last day) and ?points= (default DEFAULT_POINTS), checked. */
function rangeOf({ query }: ApiRequest, now: number): { from: number; to: number; points: number } {
  const number = (name: string, fallback: number) => {
    const raw = query.get(name);
    if (raw === null || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw collectorError('TANDEM_COLLECTOR_INVALID', `${name}: '${raw}' is not a non-negative number (epoch ms for from/to)`);
    return value;
  };
  const to = number('to', now);
  const from = number('from', to - DEFAULT_WINDOW_MS);
  const points = Math.round(number('points', DEFAULT_POINTS));
  if (from >= to) throw collectorError('TANDEM_COLLECTOR_INVALID', `from (${from}) must be before to (${to})`);
  if (to - from > MAX_WINDOW_MS) throw collectorError('TANDEM_COLLECTOR_INVALID', `the window from–to is longer than ${MAX_WINDOW_MS / 86_400_000} days; ask for a shorter one`);
  if (points < 1 || points > MAX_POINTS) throw collectorError('TANDEM_COLLECTOR_INVALID', `points: ${points} is outside 1…${MAX_POINTS}`);
  return { from, to, points };
}
