// Retention of raw readings: older ones are deleted once an hour; the per-minute rollups
// (the downsampled form the models and charts use) are kept.
import type { Logger } from '../../lib/logger.js';
import type { Store } from './store.js';

export const DEFAULT_RAW_RETENTION_DAYS = 400;
const DAY_MS = 86_400_000;
const RETENTION_PERIOD_MS = 3_600_000;

export function startRetention(store: Store, rawDays: number, log: Logger, now: () => number = Date.now): { stop(): void } {
  const prune = async () => {
    try {
      const deleted = await store.pruneReadings(now() - rawDays * DAY_MS);
      if (deleted) log.info({ deleted, rawDays }, 'old raw readings pruned');
    } catch (error) {
      log.error({ err: (error as Error).message }, 'retention failed');
    }
  };
  const timer = setInterval(() => void prune(), RETENTION_PERIOD_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
