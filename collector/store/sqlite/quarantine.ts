// Messages the collector could not accept, kept with the reason (DESIGN.md: "kept,
// counted, and never crashes anything"). Payloads are truncated so a flood of junk
// cannot fill the disk faster than the raw traffic would.
import type { Database, Statement } from 'better-sqlite3';
import type { QuarantineEntry, QuarantineRow } from '../store.js';

/** Bytes of each quarantined payload kept for diagnosis. */
export const QUARANTINE_PAYLOAD_BYTES = 4096;

interface Row {
  id: number;
  at: number;
  topic: string;
  gateway_id: string | null;
  reason: string;
  payload: Buffer;
  payload_bytes: number;
}

export class QuarantineTable {
  private readonly insert: Statement;
  private readonly countStatement: Statement;

  constructor(private readonly db: Database) {
    this.insert = db.prepare('INSERT INTO quarantine (at, topic, gateway_id, reason, payload, payload_bytes) VALUES (?, ?, ?, ?, ?, ?)');
    this.countStatement = db.prepare('SELECT count(*) AS n FROM quarantine');
  }

  /** Within the caller's transaction. */
  add(entry: QuarantineEntry): void {
    const payload = Buffer.from(entry.payload.buffer, entry.payload.byteOffset, Math.min(entry.payload.length, QUARANTINE_PAYLOAD_BYTES));
    this.insert.run(entry.at, entry.topic, entry.gatewayId, entry.reason.slice(0, 2000), payload, entry.payload.length);
  }

  list(limit: number, beforeId?: number): QuarantineRow[] {
    const rows = this.db
      .prepare('SELECT * FROM quarantine WHERE id < ? ORDER BY id DESC LIMIT ?')
      .all(beforeId ?? Number.MAX_SAFE_INTEGER, limit) as Row[];
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      topic: r.topic,
      gatewayId: r.gateway_id,
      reason: r.reason,
      payloadBase64: r.payload.toString('base64'),
      payloadBytes: r.payload_bytes,
    }));
  }

  count(): number {
    return (this.countStatement.get() as { n: number }).n;
  }
}
