// The alerts the page's views show: beside the curves (shaded windows) and on the overview
// (counts, and whether an enterprise is in the "alert" state). The workflow's rules
// (collector/alerts/lifecycle.ts) close declared and withdrawn alerts, so "not closed" is
// what an operator still has to act on.
import { isOverdue } from '../../alerts/lifecycle.js';
import type { AlertRecord, Store } from '../../store/store.js';

/** Enough for every alert not closed in a city (~6,000 polluters); the overview needs them all. */
const MAX_ACTIVE = 20_000;
/** Alerts drawn on one chart at most (a month of a noisy model). */
const MAX_ON_CHART = 1_000;

export interface AlertMark {
  id: number;
  model: string;
  enterpriseId: string;
  facilities: string[];
  state: AlertRecord['state'];
  from: number;
  to: number;
  ended: boolean;
  overdue: boolean;
}

function mark(a: AlertRecord, now: number): AlertMark {
  return { id: a.id, model: a.model, enterpriseId: a.enterpriseId, facilities: a.facilities, state: a.state, from: a.from, to: a.to, ended: a.ended, overdue: isOverdue(a, now) };
}

export async function activeAlerts(store: Store, now: number): Promise<AlertMark[]> {
  return (await store.alerts({ states: ['open', 'acknowledged', 'dispatched'], limit: MAX_ACTIVE })).map((a) => mark(a, now));
}

/** An enterprise's alerts whose window overlaps [from, to); withdrawn ones are not drawn. */
export async function alertsOverlapping(store: Store, enterpriseId: string, from: number, to: number, now: number): Promise<AlertMark[]> {
  const alerts = await store.alerts({ enterpriseId, from, to, limit: MAX_ON_CHART });
  return alerts.filter((a) => !a.withdrawn).map((a) => mark(a, now));
}
