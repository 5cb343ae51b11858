// The alerts the page's views show beside the curves and on the overview.
// Until the Store has its alert methods, no alert is known: the views show none.
import type { Store } from '../../store/store.js';

export interface AlertMark {
  id: number;
  model: string;
  enterpriseId: string;
  facilities: string[];
  state: string;
  from: number;
  to: number;
  ended: boolean;
  overdue: boolean;
}

/** Alerts not closed. */
export async function activeAlerts(_store: Store, _now: number): Promise<AlertMark[]> {
  return [];
}

/** An enterprise's alerts whose window overlaps [from, to). */
export async function alertsOverlapping(_store: Store, _enterpriseId: string, _from: number, _to: number, _now: number): Promise<AlertMark[]> {
  return [];
}
