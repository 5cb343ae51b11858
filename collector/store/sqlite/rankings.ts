// Risk scores: one row per enterprise and local day (collector/models/risk-ranking), the
// model's latest event for it; a day's rows are its ranked list.
import type { Database } from 'better-sqlite3';
import type { RiskScore } from '../store.js';

interface Row {
  date: string;
  enterprise_id: string;
  score: number;
  event: string;
  updated_at: number;
}

export class RankingTables {
  constructor(private readonly db: Database) {}

  upsert(score: RiskScore): void {
    this.db
      .prepare(
        `INSERT INTO risk_scores (date, enterprise_id, score, event, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (date, enterprise_id) DO UPDATE SET score = excluded.score, event = excluded.event, updated_at = excluded.updated_at`,
      )
      .run(score.date, score.enterpriseId, score.score, JSON.stringify(score.event), score.updatedAt);
  }

  remove(date: string, enterpriseId: string): boolean {
    return this.db.prepare('DELETE FROM risk_scores WHERE date = ? AND enterprise_id = ?').run(date, enterpriseId).changes > 0;
  }

  /** The day's scores, highest first (ties by enterprise id); `null`: the newest day that has any. */
  list(date: string | null): RiskScore[] {
    const day = date ?? (this.db.prepare('SELECT MAX(date) AS date FROM risk_scores').get() as { date: string | null }).date;
    if (day === null) return [];
    const rows = this.db.prepare('SELECT * FROM risk_scores WHERE date = ? ORDER BY score DESC, enterprise_id').all(day) as Row[];
    return rows.map((r) => ({ date: r.date, enterpriseId: r.enterprise_id, score: r.score, event: JSON.parse(r.event), updatedAt: r.updated_at }));
  }
}
