// Every alert a filter matches, read page by page (newest first, by id) so that a long range
// never asks the store for one unbounded answer.
import { collectorError } from '../errors.js';
import type { AlertFilter, AlertRecord, Awaitable } from './store.js';

/** Alerts one store call returns at most here. */
export const ALERT_PAGE = 1000;

/** All alerts matching `filter` (its limit and beforeId are the paging's); more than `max` is an error naming the range. */
export async function allAlerts<T extends AlertRecord>(list: (filter: AlertFilter) => Awaitable<T[]>, filter: AlertFilter, max = Infinity): Promise<T[]> {
  const out: T[] = [];
  for (let beforeId: number | undefined; ; ) {
    const page = await list({ ...filter, limit: ALERT_PAGE, beforeId });
    out.push(...page);
    if (out.length > max) throw collectorError('TANDEM_COLLECTOR_TOO_LARGE', `more than ${max} alerts match; narrow from/to or filter by model or enterprise`);
    if (page.length < ALERT_PAGE) return out;
    beforeId = page[page.length - 1]!.id;
  }
}
