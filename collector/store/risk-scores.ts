// The risk-ranking model's daily events (collector/models/risk-ranking) kept as the day's
// ranked list: the alert service hands them to onRanking instead of the alert queue
// (collector/alerts/README.md), and this files each under its enterprise's local date.
import type { AlertEvent } from '../models/contract.js';
import { DEFAULT_TIME_ZONE } from '../models/local-time.js';
import type { Store } from './store.js';

/** The local date (YYYY-MM-DD) of an instant in a zone; a zone Intl does not know falls back to the default, as in the engine. */
export function localDate(t: number, timeZone: string): string {
  const format = (zone: string) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(t);
  try {
    return format(timeZone);
  } catch {
    return format(DEFAULT_TIME_ZONE);
  }
}

/** onRanking for the alert service: stores (or, when withdrawn, removes) an enterprise's score for the event's day. */
export function riskScoreRecorder(store: Store, now: () => number): (event: AlertEvent) => Promise<void> {
  let revision = -1;
  let zones = new Map<string, string>();
  return async (event) => {
    const current = await store.registryRevision();
    if (current !== revision) {
      revision = current;
      zones = new Map((await store.enterpriseInfos()).map((e) => [e.id, e.timeZone ?? DEFAULT_TIME_ZONE]));
    }
    // A daily event's window starts at its local midnight (models/daily.ts dayEvent).
    const date = localDate(event.from, zones.get(event.enterpriseId) ?? DEFAULT_TIME_ZONE);
    if (event.withdrawn) {
      await store.deleteRiskScore(date, event.enterpriseId);
      return;
    }
    await store.upsertRiskScore({ date, enterpriseId: event.enterpriseId, score: Number(event.evidence.score), event, updatedAt: now() });
  };
}
