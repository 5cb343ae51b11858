// The overview: each enterprise's state, its facilities, open and overdue alerts and its
// newest data, most urgent first, with totals for the cards at the top of the page.
import type { Store } from '../../store/store.js';
import { activeAlerts } from './alert-reader.js';
import { ENTERPRISE_STATES, enterpriseState } from './enterprise-state.js';
import { latestPower } from './power-series.js';

/** registry.ts default when a gateway names no poll interval (s). */
const DEFAULT_POLL_INTERVAL_S = 15;

export async function overview(store: Store, now: number) {
  const [enterprises, facilities, statuses, gateways, alerts] = await Promise.all([
    store.enterpriseInfos(),
    store.facilityInfos(),
    store.gatewayStatuses(),
    store.gateways(),
    activeAlerts(store, now),
  ]);
  const online = new Map(statuses.map((s) => [s.id, s.online]));
  const pollS = new Map(gateways.map((g) => [g.id, g.pollIntervalS]));
  const rows = await Promise.all(
    enterprises.map(async (e) => {
      const own = facilities.filter((f) => f.enterpriseId === e.id);
      const metered = own.filter((f) => f.meterIds.length > 0);
      const lastDataAt = await Promise.all(metered.map(async (f) => (await latestPower(store, f.id, now))?.at ?? null));
      const mine = alerts.filter((a) => a.enterpriseId === e.id);
      const state = enterpriseState({
        online: online.get(e.gatewayId) ?? null,
        lastDataAt,
        pollIntervalS: pollS.get(e.gatewayId) ?? DEFAULT_POLL_INTERVAL_S,
        activeModels: mine.map((a) => a.model),
        now,
      });
      const known = lastDataAt.filter((t): t is number => t !== null);
      return {
        ...e,
        state,
        facilities: own.map((f) => ({ id: f.id, name: f.name, kind: f.kind })),
        openAlerts: mine.length,
        overdueAlerts: mine.filter((a) => a.overdue).length,
        lastDataAt: known.length ? Math.max(...known) : null,
      };
    }),
  );
  // The operator's worklist order: most urgent state first, then most overdue, then most open.
  const urgency = (r: (typeof rows)[number]) => ENTERPRISE_STATES.indexOf(r.state);
  rows.sort((a, b) => urgency(a) - urgency(b) || b.overdueAlerts - a.overdueAlerts || b.openAlerts - a.openAlerts || a.name.localeCompare(b.name, 'zh'));
  const byState = Object.fromEntries(ENTERPRISE_STATES.map((s) => [s, rows.filter((r) => r.state === s).length]));
  const totals = { enterprises: rows.length, byState, open: alerts.length, overdue: alerts.filter((a) => a.overdue).length };
  return { now, totals, enterprises: rows };
}
