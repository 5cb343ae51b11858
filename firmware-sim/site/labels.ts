// Ground truth for scoring the models: for each scheduled scenario, the stretches where its
// behaviour really shows (a treatment-off scheduled over a weekend with production stopped
// shows nowhere, and gets no label), plus the orders and notices the scorer must register.
import { KINDS } from './scenario-kinds.js';
import { RUNNING_FRACTION, type ActiveScenario, type Plant } from './plant.js';

const MIN_MS = 60_000;

export interface Label {
  id: string;
  /** The scenario id in the site file (or given at run time). */
  scenario: string;
  kind: string;
  /** Model ids (DESIGN.md) expected to fire. */
  models: string[];
  enterpriseId: string;
  facility?: string;
  meter?: string;
  from: number;
  to: number;
  orderId?: string;
  /** Set when a notice (declared window) covers it: alerts should be marked declared. */
  noticeId?: string;
}

export interface Order {
  id: string;
  kind: 'stop' | 'limit';
  enterpriseId: string;
  group?: string;
  /** Production facilities bound; absent: all of the enterprise's. */
  facilities?: string[];
  from: number;
  to: number;
  limitPct?: number;
  /** Whether the simulated plant obeys it (false: expect order-breach). */
  obeyed: boolean;
}

export interface Notice {
  id: string;
  enterpriseId: string;
  facility?: string;
  meter?: string;
  from: number;
  to: number;
  reason: string;
}

export interface GroundTruth {
  labels: Label[];
  orders: Order[];
  notices: Notice[];
}

/** Whether the scenario's behaviour shows at minute `t`. */
function shows(plant: Plant, a: ActiveScenario, t: number): boolean {
  const { spec } = a;
  const served = () => plant.site.facilities.find((f) => f.id === spec.facility)?.serves ?? [];
  const bound = () => spec.facilities ?? plant.site.facilities.filter((f) => f.kind === 'production').map((f) => f.id);
  switch (spec.kind) {
    case 'treatment-off':
    case 'late-start':
    case 'early-stop':
    case 'cycling':
      return !plant.treatmentOn(spec.facility!, t) && plant.treatmentWanted(spec.facility!, t) && served().some((p) => plant.productionRunning(p, t));
    case 'treatment-weak':
      return plant.treatmentOn(spec.facility!, t) && served().some((p) => plant.productionRunning(p, t));
    case 'production-surge':
      return plant.productionRunning(spec.facility!, t);
    case 'night-production':
      return plant.isNight(t) && plant.productionRunning(spec.facility!, t);
    case 'stop-order':
      return spec.params.obey !== true && bound().some((p) => plant.productionShare(p, t) > RUNNING_FRACTION);
    case 'limit-order':
      // As the meter shows it: a stretch just over the dwell can be broken by the line's noise.
      return spec.params.obey !== true && bound().some((p) => plant.meteredShare(p, t) > plant.limitShare(a, p));
    default:
      return true; // labelled over the whole window (KindInfo.wholeWindow)
  }
}

/** Labels, orders and notices for the scenarios, within [from, to). */
export function groundTruth(plant: Plant, from: number, to: number): GroundTruth {
  const site = plant.site;
  const truth: GroundTruth = { labels: [], orders: [], notices: [] };
  for (const a of plant.scenarios) {
    const start = Math.max(a.from, from);
    const end = Math.min(a.to, to);
    if (end <= start) continue;
    const { spec } = a;
    const info = KINDS[spec.kind];
    let orderId: string | undefined;
    if (spec.kind === 'stop-order' || spec.kind === 'limit-order') {
      orderId = `${site.id}:${spec.id}`;
      truth.orders.push({
        id: orderId,
        kind: spec.kind === 'stop-order' ? 'stop' : 'limit',
        enterpriseId: site.id,
        ...(site.group && { group: site.group }),
        ...(spec.facilities && { facilities: spec.facilities }),
        from: start,
        to: end,
        ...(spec.kind === 'limit-order' && { limitPct: spec.params.limitPct as number }),
        obeyed: spec.params.obey === true,
      });
    }
    const target = { ...(spec.facility && { facility: spec.facility }), ...(spec.meter && { meter: spec.meter }) };
    let noticeId: string | undefined;
    if (spec.notice) {
      noticeId = `${site.id}:${spec.id}:notice`;
      truth.notices.push({ id: noticeId, enterpriseId: site.id, ...target, from: start, to: end, reason: spec.notice });
    }
    const runs = info.wholeWindow ? [[start, end] as [number, number]] : stretches(plant, a, start, end, info.mergeMinutes);
    runs
      .filter(([f, t]) => t - f >= info.minMinutes * MIN_MS && (info.minStarts === undefined || restarts(plant, spec.facility!, f, t) >= info.minStarts))
      .forEach(([f, t], n) =>
        truth.labels.push({
          id: `${spec.id}#${n + 1}`,
          scenario: spec.id,
          kind: spec.kind,
          models: info.models,
          enterpriseId: site.id,
          ...target,
          from: f,
          to: t,
          ...(orderId && { orderId }),
          ...(noticeId && { noticeId }),
        }),
      );
  }
  truth.labels.sort((a, b) => a.from - b.from);
  return truth;
}

/** Times the treatment comes back on within [from, to] (an off minute followed by an on one). */
function restarts(plant: Plant, facility: string, from: number, to: number): number {
  let n = 0;
  for (let t = from + MIN_MS; t <= to; t += MIN_MS) if (!plant.treatmentOn(facility, t - MIN_MS) && plant.treatmentOn(facility, t)) n++;
  return n;
}

/** Minute stretches [from, to) where the behaviour shows, joining gaps up to `mergeMinutes`. */
function stretches(plant: Plant, a: ActiveScenario, from: number, to: number, mergeMinutes: number): [number, number][] {
  const runs: [number, number][] = [];
  for (let t = Math.ceil(from / MIN_MS) * MIN_MS; t < to; t += MIN_MS) {
    if (!shows(plant, a, t)) continue;
    const last = runs.at(-1);
    if (last && t - last[1] <= mergeMinutes * MIN_MS) last[1] = t + MIN_MS;
    else runs.push([t, t + MIN_MS]);
  }
  return runs.map(([f, t]) => [f, Math.min(t, to)]);
}
