// History "as a gateway backlog would arrive": the simulated past of a site is written
// into its agent's outbox before the agent starts, so it travels the real path (outbox →
// uplink backlog → broker → ingest → store → models) beside the live readings.
import { simulateHistory, writeState, type Site } from '../firmware-sim/index.js';
import { openSqliteOutbox } from '../agent/outbox/sqlite-outbox.js';
import type { GroundTruth } from '../firmware-sim/index.js';
import type { Logger } from '../lib/logger.js';

/** Readings per outbox transaction: large enough to be fast, small enough to show progress. */
const APPEND_CHUNK = 5_000;

export interface HistoryLoad {
  readings: number;
  truth: GroundTruth;
}

export function loadHistory(
  site: Site,
  options: { days: number; end: number; outboxPath: string; maxAgeDays: number; stateFile: string; logger: Logger; onProgress: (done: number) => void },
): HistoryLoad {
  const history = simulateHistory(site, { days: options.days, end: options.end });
  const outbox = openSqliteOutbox({
    path: options.outboxPath,
    maxBytes: 1024 * 1024 * 1024,
    maxAgeDays: options.maxAgeDays,
    minFreeDiskBytes: 0,
    logger: options.logger,
  });
  let count = 0;
  try {
    let chunk: { meter: string; t: number; values: Record<string, number> }[] = [];
    for (const reading of history.readings) {
      chunk.push(reading);
      if (chunk.length === APPEND_CHUNK) {
        outbox.append(chunk);
        count += chunk.length;
        chunk = [];
        options.onProgress(count);
      }
    }
    if (chunk.length) outbox.append(chunk);
    count += chunk.length;
    options.onProgress(count);
  } finally {
    outbox.close();
  }
  // The live meters continue the counters where the history left them.
  writeState(options.stateFile, history.energyKwh(), history.to);
  return { readings: count, truth: { labels: history.labels, orders: history.orders, notices: history.notices } };
}
