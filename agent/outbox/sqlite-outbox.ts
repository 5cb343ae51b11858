// The outbox in SQLite (better-sqlite3, WAL). One row per reading: seq, time, meter
// number and a ~30-byte value blob (row-codec.ts). Sequence numbers come from
// AUTOINCREMENT, which SQLite keeps in sqlite_sequence and never hands out twice, even
// after the rows are deleted or the process is killed (sqlite.org/autoinc.html).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Reading, SeqRange } from '../../protocol/index.js';
import type { Logger } from '../../lib/logger.js';
import { defineErrors } from '../../lib/errors.js';
import type { NewReading, Outbox, OutboxLimits, OutboxStats, PendingGap } from './outbox.js';
import { decodeRow, encodeRow } from './row-codec.js';
import { createLimiter } from './limits.js';

export interface SqliteOutboxOptions extends OutboxLimits {
  path: string;
  now?: () => number;
  logger?: Logger;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meters (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
  CREATE TABLE IF NOT EXISTS readings (seq INTEGER PRIMARY KEY AUTOINCREMENT, t INTEGER NOT NULL, meter INTEGER NOT NULL, data BLOB NOT NULL);
  CREATE TABLE IF NOT EXISTS gaps (from_seq INTEGER PRIMARY KEY, to_seq INTEGER NOT NULL, count INTEGER NOT NULL,
    reason TEXT NOT NULL, oldest_t INTEGER NOT NULL, newest_t INTEGER NOT NULL, t INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

export const outboxErrors = defineErrors({
  TANDEM_AGENT_OUTBOX_UNUSABLE: 'the outbox file cannot be created or opened, or is not an outbox',
});

function openDatabase(path: string): Database.Database {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    // FULL: a reading counts as taken only once it would survive a power cut, not just kill -9.
    db.pragma('synchronous = FULL');
    db.exec(SCHEMA);
    return db;
  } catch (error) {
    throw outboxErrors.error('TANDEM_AGENT_OUTBOX_UNUSABLE', `outbox ${path}: ${(error as Error).message}`);
  }
}

export function openSqliteOutbox(options: SqliteOutboxOptions): Outbox {
  const now = options.now ?? Date.now;
  const db = openDatabase(options.path);

  const meterIds = new Map<string, number>();
  const meterNames = new Map<number, string>();
  for (const row of db.prepare('SELECT id, name FROM meters').all() as { id: number; name: string }[]) {
    meterIds.set(row.name, row.id);
    meterNames.set(row.id, row.name);
  }
  const insertMeter = db.prepare('INSERT INTO meters (name) VALUES (?)');
  const insertReading = db.prepare('INSERT INTO readings (t, meter, data) VALUES (?, ?, ?)').safeIntegers(true);
  const selectAfter = db.prepare('SELECT seq, t, meter, data FROM readings WHERE seq > ? ORDER BY seq LIMIT ?').safeIntegers(true);
  const deleteRange = db.prepare('DELETE FROM readings WHERE seq BETWEEN ? AND ?');
  const deleteGaps = db.prepare('DELETE FROM gaps WHERE from_seq >= ? AND to_seq <= ?');
  const selectGaps = db.prepare('SELECT * FROM gaps ORDER BY from_seq').safeIntegers(true);
  const selectOldestT = db.prepare('SELECT t FROM readings ORDER BY seq LIMIT 1').pluck();
  const selectLastSeq = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'readings'").pluck().safeIntegers(true);
  const selectDropped = db.prepare("SELECT value FROM counters WHERE name = 'dropped'").pluck();
  let depth = db.prepare('SELECT COUNT(*) FROM readings').pluck().get() as number;

  const meterId = (name: string): number => {
    let id = meterIds.get(name);
    if (id === undefined) {
      id = Number(insertMeter.run(name).lastInsertRowid);
      meterIds.set(name, id);
      meterNames.set(id, name);
    }
    return id;
  };

  const appendAll = db.transaction((readings: readonly NewReading[]): Reading[] =>
    readings.map((r) => {
      const seq = insertReading.run(r.t, meterId(r.meter), encodeRow(r.values, r.quality)).lastInsertRowid as bigint;
      return { seq, meter: r.meter, t: r.t, values: r.values, ...(r.quality ? { quality: r.quality } : {}) };
    }),
  );

  const ackAll = db.transaction((ranges: readonly SeqRange[]) => {
    let readings = 0;
    let gaps = 0;
    for (const { from, to } of ranges) {
      readings += deleteRange.run(from, to).changes;
      gaps += deleteGaps.run(from, to).changes;
    }
    return { readings, gaps };
  });

  const limiter = createLimiter(db, options, now, {
    depth: () => depth,
    dropped: (count) => (depth -= count),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  limiter.enforce();

  return {
    append(readings) {
      if (readings.length === 0) return [];
      const stored = appendAll(readings);
      depth += stored.length;
      limiter.maybeEnforce(stored.length);
      return stored;
    },
    readAfter(after, limit) {
      const rows = selectAfter.all(after, limit) as { seq: bigint; t: bigint; meter: bigint; data: Buffer }[];
      return rows.map((row) => ({ seq: row.seq, meter: meterNames.get(Number(row.meter))!, t: Number(row.t), ...decodeRow(row.data) }));
    },
    ack(ranges) {
      const removed = ackAll(ranges);
      depth -= removed.readings;
      return removed;
    },
    gaps() {
      return (selectGaps.all() as Record<string, bigint | string>[]).map(
        (row): PendingGap => ({
          from: row.from_seq as bigint,
          to: row.to_seq as bigint,
          count: Number(row.count),
          reason: row.reason as PendingGap['reason'],
          oldestT: Number(row.oldest_t),
          newestT: Number(row.newest_t),
          t: Number(row.t),
        }),
      );
    },
    stats(): OutboxStats {
      return {
        depth,
        bytes: limiter.usedBytes(),
        oldestT: (selectOldestT.get() as number | undefined) ?? null,
        dropped: (selectDropped.get() as number | undefined) ?? 0,
        lastSeq: (selectLastSeq.get() as bigint | undefined) ?? null,
      };
    },
    close() {
      db.close();
    },
  };
}
