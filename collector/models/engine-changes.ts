// What the engine tells the sink after an evaluation: only what changed since the last
// time (one ongoing condition is one alert, upserted when it grows, not every tick), and a
// withdrawal for what a re-evaluation of the same stretch no longer finds.
import type { AlertEvent } from './contract.js';

export type Upsert = [AlertEvent, { late: boolean }];

/** Why a condition is gone after a re-evaluation with more data. */
function withdrawalReason(event: AlertEvent): string {
  return event.model === 'data-gap' ? 'data arrived' : 'not found again with later data';
}

/**
 * The upserts one evaluation makes, against `emitted` (key → last event sent; record each
 * with `remember` once the sink took it). `previous` are the events sent before for the
 * models evaluated; those `judged` (inside the evaluated stretch) and not found again are
 * withdrawn. A new alert is `late` when `late(event)` says so; extensions never are.
 */
export function changes(
  emitted: ReadonlyMap<string, AlertEvent>,
  events: AlertEvent[],
  previous: readonly AlertEvent[],
  judged: (e: AlertEvent) => boolean,
  late: (e: AlertEvent) => boolean,
): Upsert[] {
  carryOverGaps(emitted, events, previous);
  const out: Upsert[] = [];
  const seen = new Set<string>();
  for (const event of events) {
    seen.add(event.key);
    const old = emitted.get(event.key);
    if (old && JSON.stringify(old) === JSON.stringify(event)) continue;
    out.push([event, { late: old ? false : late(event) }]);
  }
  for (const old of previous) {
    if (seen.has(old.key) || !judged(old)) continue;
    out.push([{ ...old, ended: true, withdrawn: withdrawalReason(old) }, { late: false }]);
  }
  return out;
}

/** Records an upsert the sink took: a withdrawn condition is forgotten, others remembered. */
export function remember(emitted: Map<string, AlertEvent>, event: AlertEvent): void {
  if (event.withdrawn) emitted.delete(event.key);
  else emitted.set(event.key, event);
}

/**
 * A gap that a backlog fills from its start on is still the same outage: the shrunken gap
 * keeps the alert (key) of the gap it is part of instead of opening another one per batch.
 */
function carryOverGaps(emitted: ReadonlyMap<string, AlertEvent>, events: AlertEvent[], previous: readonly AlertEvent[]): void {
  const fresh = new Set(events.map((e) => e.key));
  for (const event of events) {
    if (event.model !== 'data-gap' || emitted.has(event.key)) continue;
    const old = previous.find(
      (p) => p.model === 'data-gap' && !fresh.has(p.key) && p.facilities[0] === event.facilities[0] && p.from < event.to && event.from < p.to,
    );
    if (old) {
      fresh.add(old.key);
      event.key = old.key;
    }
  }
}
