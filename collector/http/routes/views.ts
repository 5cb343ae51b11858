// Read-only projections the web page needs in one request each (collector/web): who am I,
// the overview, and an enterprise's power curves on one time grid with its alerts.
// They read through the Store interface only, like every other route.
import { collectorError } from '../../errors.js';
import type { FacilityInfo } from '../../models/contract.js';
import { integer, notFound, timeRange } from '../params.js';
import type { Route } from '../router.js';
import { alertsOverlapping } from '../views/alert-reader.js';
import { overview } from '../views/overview.js';
import { DEFAULT_POINTS, latestPower, MAX_POINTS, powerSeries } from '../views/power-series.js';

/** Longest window one request may ask for (days): a month with room for zooming out. */
const MAX_WINDOW_DAYS = 62;
const DAY_MS = 86_400_000;

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
      const enterprise = (await store.enterpriseInfos()).find((e) => e.id === id) ?? notFound(`enterprise '${id}'; GET /api/v1/views/overview lists them`);
      const { from, to } = timeRange(request.query, at);
      if (to - from > MAX_WINDOW_DAYS * DAY_MS) throw collectorError('TANDEM_COLLECTOR_INVALID', `from–to spans more than ${MAX_WINDOW_DAYS} days; ask for a shorter window`);
      const points = integer(request.query, 'points', DEFAULT_POINTS, 1, MAX_POINTS);
      const only = request.query.get('facilities')?.split(',').filter(Boolean);
      const all = (await store.facilityInfos()).filter((f) => f.enterpriseId === id);
      const unknown = only?.filter((f) => !all.some((x) => x.id === f));
      if (unknown?.length) throw collectorError('TANDEM_COLLECTOR_INVALID', `facilities: '${unknown.join("', '")}' is not a facility of enterprise '${id}'`);
      const shown = only?.length ? withLinked(all, only) : all;
      const series = await powerSeries(store, shown, from, to, points);
      const facilities = await Promise.all(all.map(async (f) => ({ id: f.id, name: f.name, kind: f.kind, serves: f.serves, latestW: (await latestPower(store, f.id, at))?.powerW ?? null })));
      return { body: { enterprise, facilities, from, to, ...series, alerts: await alertsOverlapping(store, id, from, to, at) } };
    },
  },
];

/** The facilities named and those linked to them, so an alert's chart shows both sides (DESIGN.md "Link"). */
function withLinked(all: FacilityInfo[], ids: string[]): FacilityInfo[] {
  const named = new Set(ids);
  const linked = (f: FacilityInfo) => f.serves.some((p) => named.has(p)) || all.some((t) => named.has(t.id) && t.serves.includes(f.id));
  return all.filter((f) => named.has(f.id) || linked(f));
}
