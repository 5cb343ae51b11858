// Keeps the outbox within its byte, age and free-disk limits. When something must go,
// the oldest readings go, in one transaction with the gap record that tells the
// collector about them and the counter that health reports: never a silent loss.
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Logger } from '../../lib/logger.js';
import type { GapReason, OutboxLimits } from './outbox.js';

/** How often appends re-check the limits (ms): statfs and page counts are cheap, not free. */
const LIMIT_CHECK_INTERVAL_MS = 1000;
/** Appended rows after which the limits are re-checked even within the interval (a burst). */
const LIMIT_CHECK_ROWS = 1000;
/** Fewest readings dropped at a time, so a full outbox does not drop one row per append. */
const MIN_DROP_ROWS = 1000;
/** Share of the outbox dropped at a time when over a limit. */
const DROP_SHARE = 0.01;
/** Rounds of dropping per check; bounds the pause an over-full outbox can cause. */
const MAX_DROP_ROUNDS = 100;
/** Free pages inside the file (bytes) that let it take new rows without growing. */
const FREE_PAGE_RESERVE_BYTES = 1024 * 1024;
const DAY_MS = 86_400_000;

interface LimiterHooks {
  depth(): number;
  dropped(count: number): void;
  logger?: Logger;
}

export function createLimiter(db: Database, limits: OutboxLimits & { path: string }, now: () => number, hooks: LimiterHooks) {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.prepare('PRAGMA page_count').pluck();
  const freePages = db.prepare('PRAGMA freelist_count').pluck();
  const oldest = db.prepare('SELECT seq, t FROM readings WHERE seq > ? ORDER BY seq LIMIT ?').safeIntegers(true);
  const span = db
    .prepare('SELECT MIN(seq) AS from_seq, MAX(seq) AS to_seq, COUNT(*) AS count, MIN(t) AS oldest_t, MAX(t) AS newest_t FROM (SELECT seq, t FROM readings WHERE seq <= ? ORDER BY seq)')
    .safeIntegers(true);
  const deleteUpTo = db.prepare('DELETE FROM readings WHERE seq <= ?');
  const insertGap = db.prepare('INSERT INTO gaps VALUES (?, ?, ?, ?, ?, ?, ?)');
  const countDropped = db.prepare(
    "INSERT INTO counters (name, value) VALUES ('dropped', ?) ON CONFLICT(name) DO UPDATE SET value = value + excluded.value",
  );
  let lastCheck = -Infinity;
  let rowsSinceCheck = 0;

  const usedBytes = () => ((pages.get() as number) - (freePages.get() as number)) * pageSize;

  /** Drops every reading up to `lastSeq` and records the gap, atomically. */
  const dropUpTo = db.transaction((lastSeq: bigint, reason: GapReason) => {
    const s = span.get(lastSeq) as Record<string, bigint>;
    const count = Number(s.count);
    if (count === 0) return 0;
    deleteUpTo.run(lastSeq);
    insertGap.run(s.from_seq, s.to_seq, count, reason, s.oldest_t, s.newest_t, now());
    countDropped.run(count);
    hooks.logger?.warn({ reason, from: String(s.from_seq), to: String(s.to_seq), count }, 'outbox full: dropped oldest readings');
    return count;
  });

  const dropOldest = (reason: GapReason): number => {
    const rows = Math.max(MIN_DROP_ROWS, Math.ceil(hooks.depth() * DROP_SHARE));
    const batch = oldest.all(0n, rows) as { seq: bigint }[];
    if (batch.length === 0) return 0;
    const dropped = dropUpTo(batch[batch.length - 1]!.seq, reason);
    hooks.dropped(dropped);
    return dropped;
  };

  /** Drops the oldest readings for as long as they are older than the age limit. */
  const dropAged = () => {
    const cutoff = BigInt(Math.floor(now() - limits.maxAgeDays * DAY_MS));
    for (let round = 0; round < MAX_DROP_ROUNDS; round++) {
      const batch = oldest.all(0n, MIN_DROP_ROWS) as { seq: bigint; t: bigint }[];
      const young = batch.findIndex((row) => row.t >= cutoff);
      const lastOld = young === -1 ? batch[batch.length - 1] : batch[young - 1];
      if (!lastOld) return;
      hooks.dropped(dropUpTo(lastOld.seq, 'outbox-age'));
      if (young !== -1) return;
    }
  };

  const diskFree = (): number | null => {
    try {
      const fs = statfsSync(dirname(limits.path));
      return fs.bavail * fs.bsize;
    } catch {
      return null;
    }
  };

  const enforce = () => {
    lastCheck = now();
    rowsSinceCheck = 0;
    dropAged();
    for (let round = 0; round < MAX_DROP_ROUNDS && usedBytes() > limits.maxBytes; round++) {
      if (dropOldest('outbox-bytes') === 0) break;
    }
    const free = diskFree();
    const reserve = (freePages.get() as number) * pageSize;
    if (free !== null && free < limits.minFreeDiskBytes && reserve < FREE_PAGE_RESERVE_BYTES) dropOldest('disk-full');
  };

  return {
    enforce,
    maybeEnforce(appended: number) {
      rowsSinceCheck += appended;
      if (now() - lastCheck >= LIMIT_CHECK_INTERVAL_MS || rowsSinceCheck >= LIMIT_CHECK_ROWS) enforce();
    },
    usedBytes,
    diskFree,
  };
}
