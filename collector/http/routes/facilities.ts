// Facilities (contract.ts FacilityInfo) and their per-minute series, downsampled for charts.
import { FACILITY_KINDS, type FacilityKind, type Thresholds } from '../../../protocol/index.js';
import { collectorError } from '../../errors.js';
import type { FacilityMinute } from '../../models/contract.js';
import { integer, notFound, objectBody, stringField, timeRange } from '../params.js';
import type { Route } from '../router.js';

/** Most points a series answer holds unless `points` asks for fewer (a chart's width). */
export const MAX_SERIES_POINTS = 5000;
const DEFAULT_SERIES_POINTS = 1000;
const MINUTE_MS = 60_000;

export interface SeriesPoint {
  /** Bucket start (epoch ms). */
  t: number;
  /** Mean of the minutes' power in the bucket (W). */
  powerW: number | null;
  energyKWh: number | null;
  /** Minutes with data in the bucket. */
  minutes: number;
}

/** Groups minutes into equal buckets so that at most `points` remain. */
export function downsample(minutes: FacilityMinute[], from: number, to: number, points: number): SeriesPoint[] {
  const bucketMs = Math.max(MINUTE_MS, Math.ceil((to - from) / points / MINUTE_MS) * MINUTE_MS);
  const buckets = new Map<number, { power: number; powerN: number; energy: number | null; n: number }>();
  for (const m of minutes) {
    const t = from + Math.floor((m.minute - from) / bucketMs) * bucketMs;
    const b = buckets.get(t) ?? { power: 0, powerN: 0, energy: null, n: 0 };
    if (m.powerW !== null) {
      b.power += m.powerW;
      b.powerN++;
    }
    if (m.energyKWh !== null) b.energy = (b.energy ?? 0) + m.energyKWh;
    b.n++;
    buckets.set(t, b);
  }
  return [...buckets].map(([t, b]) => ({ t, powerW: b.powerN ? b.power / b.powerN : null, energyKWh: b.energy, minutes: b.n }));
}

const THRESHOLD_KEYS: readonly string[] = ['offBelowW', 'runningAboveW', 'runningLevelW'];

/** Thresholds an operator sets (W); each one set overrides the learned value (DESIGN.md "Learned running level"). */
function thresholdsField(value: unknown): Thresholds {
  const invalid = (message: string) => collectorError('TANDEM_COLLECTOR_INVALID', message);
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('thresholds: expected an object {offBelowW?, runningAboveW?, runningLevelW?} in W');
  for (const [key, v] of Object.entries(value)) {
    if (!THRESHOLD_KEYS.includes(key)) throw invalid(`thresholds.${key}: not a threshold; expected ${THRESHOLD_KEYS.join(', ')}`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw invalid(`thresholds.${key}: expected a number of watts ≥ 0, got ${JSON.stringify(v)}`);
  }
  const t = value as Thresholds;
  if (t.offBelowW !== undefined && t.runningAboveW !== undefined && t.runningAboveW < t.offBelowW) {
    throw invalid(`thresholds.runningAboveW: ${t.runningAboveW} W is below offBelowW (${t.offBelowW} W)`);
  }
  return t;
}

export const facilityRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/v1/facilities',
    role: 'read',
    async handler({ query }, { store }) {
      const enterprise = query.get('enterprise');
      const facilities = (await store.facilityInfos()).filter((f) => !enterprise || f.enterpriseId === enterprise);
      return { body: { facilities } };
    },
  },
  {
    method: 'PUT',
    path: '/api/v1/facilities/:id',
    role: 'admin',
    async handler({ params, body }, { store, config }) {
      const input = objectBody(body);
      const kind = stringField(input, 'kind');
      if (!FACILITY_KINDS.includes(kind as FacilityKind)) throw collectorError('TANDEM_COLLECTOR_INVALID', `kind: expected one of ${FACILITY_KINDS.join(', ')}, got '${kind}'`);
      const serves = input.serves ?? [];
      if (!Array.isArray(serves) || !serves.every((s) => typeof s === 'string')) throw collectorError('TANDEM_COLLECTOR_INVALID', 'serves: expected a list of production facility ids');
      const thresholds = thresholdsField(input.thresholds);
      await store.upsertFacility({ id: params.id!, enterpriseId: stringField(input, 'enterpriseId'), name: stringField(input, 'name'), kind: kind as FacilityKind, serves, thresholds });
      await config.syncIfChanged();
      return { body: (await store.facilityInfos()).find((f) => f.id === params.id) };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/facilities/:id/series',
    role: 'read',
    async handler({ params, query }, { store, now }) {
      if (!(await store.facilityInfos()).some((f) => f.id === params.id)) notFound(`facility '${params.id}'`);
      const { from, to } = timeRange(query, now());
      const points = integer(query, 'points', DEFAULT_SERIES_POINTS, 1, MAX_SERIES_POINTS);
      const start = from - (from % MINUTE_MS);
      const minutes = await store.minutes(params.id!, start, to);
      return { body: { facility: params.id, from: start, to, points: downsample(minutes, start, to, points) } };
    },
  },
];
