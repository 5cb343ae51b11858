// A read-only look into an outbox file another process (the running agent) writes; WAL
// lets it read while the agent commits. For `tandem agent status`.
import Database from 'better-sqlite3';

export interface OutboxSnapshot {
  depth: number;
  oldestT: number | null;
  newestT: number | null;
  lastSeq: string | null;
  dropped: number;
  pendingGaps: number;
  fileBytes: number;
}

export function inspectOutbox(path: string): OutboxSnapshot {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const one = (sql: string) => db.prepare(sql).pluck().get() as number | null | undefined;
    return {
      depth: one('SELECT COUNT(*) FROM readings') ?? 0,
      oldestT: one('SELECT t FROM readings ORDER BY seq LIMIT 1') ?? null,
      newestT: one('SELECT t FROM readings ORDER BY seq DESC LIMIT 1') ?? null,
      lastSeq: (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'readings'").pluck().safeIntegers(true).get() as bigint | undefined)?.toString() ?? null,
      dropped: one("SELECT value FROM counters WHERE name = 'dropped'") ?? 0,
      pendingGaps: one('SELECT COUNT(*) FROM gaps') ?? 0,
      fileBytes: (one('PRAGMA page_count') ?? 0) * (one('PRAGMA page_size') ?? 0),
    };
  } finally {
    db.close();
  }
}
