// Alerts: one row per condition key (contract.ts AlertEvent.key). A model's later event for
// the same key extends the row; the operator's workflow columns are never touched by it.
import type { Database } from 'better-sqlite3';
import type { AlertEvent } from '../../models/contract.js';
import type { AlertFilter, AlertRecord, AlertUpsert, AlertWorkflowPatch } from '../store.js';

interface Row {
  id: number;
  key: string;
  model: string;
  enterprise_id: string;
  facilities: string;
  severity: AlertRecord['severity'];
  from_t: number;
  to_t: number;
  ended: number;
  declared: number;
  late: number;
  evidence: string;
  message: string;
  detected_at: number | null;
  withdrawn: string | null;
  state: AlertRecord['state'];
  disposition: AlertRecord['disposition'];
  opened_at: number;
  updated_at: number;
  deadline_at: number | null;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
  dispatched_by: string | null;
  dispatched_at: number | null;
  closed_by: string | null;
  closed_at: number | null;
  note: string | null;
}

const DEFAULT_LIMIT = 500;

/** Workflow patch field → column. */
const PATCH_COLUMNS: Record<keyof AlertWorkflowPatch, string> = {
  state: 'state',
  disposition: 'disposition',
  deadlineAt: 'deadline_at',
  acknowledgedBy: 'acknowledged_by',
  acknowledgedAt: 'acknowledged_at',
  dispatchedBy: 'dispatched_by',
  dispatchedAt: 'dispatched_at',
  closedBy: 'closed_by',
  closedAt: 'closed_at',
  note: 'note',
};

export class AlertTables {
  constructor(private readonly db: Database) {}

  upsert(event: AlertEvent, extra: { late: boolean; deadlineAt: number | null }, now: number): AlertUpsert {
    return this.db.transaction((): AlertUpsert => {
      const existing = this.db.prepare('SELECT * FROM alerts WHERE key = ?').get(event.key) as Row | undefined;
      const values = eventColumns(event);
      if (!existing) {
        const id = this.db
          .prepare(
            `INSERT INTO alerts (key, model, enterprise_id, facilities, severity, from_t, to_t, ended, declared, evidence, message, detected_at, withdrawn,
               late, state, opened_at, updated_at, deadline_at)
             VALUES (@key, @model, @enterprise_id, @facilities, @severity, @from_t, @to_t, @ended, @declared, @evidence, @message, @detected_at, @withdrawn,
               @late, 'open', @now, @now, @deadline_at)`,
          )
          .run({ ...values, late: extra.late ? 1 : 0, now, deadline_at: extra.deadlineAt }).lastInsertRowid;
        return { record: this.get(Number(id))!, created: true, changed: true };
      }
      const changed = Object.entries(values).some(([column, value]) => existing[column as keyof Row] !== value);
      if (changed) {
        this.db
          .prepare(
            `UPDATE alerts SET model = @model, enterprise_id = @enterprise_id, facilities = @facilities, severity = @severity, from_t = @from_t,
               to_t = @to_t, ended = @ended, declared = @declared, evidence = @evidence, message = @message, detected_at = @detected_at,
               withdrawn = @withdrawn, updated_at = @now WHERE key = @key`,
          )
          .run({ ...values, now });
      }
      return { record: this.get(existing.id)!, created: false, changed };
    })();
  }

  get(id: number): AlertRecord | null {
    const row = this.db.prepare('SELECT * FROM alerts WHERE id = ?').get(id) as Row | undefined;
    return row ? toRecord(row) : null;
  }

  list(filter: AlertFilter): AlertRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (condition: string, ...values: unknown[]) => {
      where.push(condition);
      args.push(...values);
    };
    if (filter.model) add('model = ?', filter.model);
    if (filter.enterpriseId) add('enterprise_id = ?', filter.enterpriseId);
    if (filter.states?.length) add(`state IN (${filter.states.map(() => '?').join(',')})`, ...filter.states);
    if (filter.from !== undefined) add('to_t >= ?', filter.from);
    if (filter.to !== undefined) add('from_t < ?', filter.to);
    if (filter.beforeId !== undefined) add('id < ?', filter.beforeId);
    const sql = `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, filter.limit ?? DEFAULT_LIMIT) as Row[]).map(toRecord);
  }

  update(id: number, patch: AlertWorkflowPatch, now: number): AlertRecord | null {
    const entries = Object.entries(patch).filter(([field]) => field in PATCH_COLUMNS);
    const sets = entries.map(([field]) => `${PATCH_COLUMNS[field as keyof AlertWorkflowPatch]} = ?`);
    const changes = this.db.prepare(`UPDATE alerts SET ${[...sets, 'updated_at = ?'].join(', ')} WHERE id = ?`).run(...entries.map(([, v]) => v ?? null), now, id).changes;
    return changes ? this.get(id) : null;
  }
}

function eventColumns(e: AlertEvent) {
  return {
    key: e.key,
    model: e.model,
    enterprise_id: e.enterpriseId,
    facilities: JSON.stringify(e.facilities),
    severity: e.severity,
    from_t: e.from,
    to_t: e.to,
    ended: e.ended ? 1 : 0,
    declared: e.declared ? 1 : 0,
    evidence: JSON.stringify(e.evidence),
    message: e.message,
    detected_at: e.detectedAt ?? null,
    withdrawn: e.withdrawn ?? null,
  };
}

function toRecord(r: Row): AlertRecord {
  const record: AlertRecord = {
    id: r.id,
    key: r.key,
    model: r.model,
    enterpriseId: r.enterprise_id,
    facilities: JSON.parse(r.facilities),
    severity: r.severity,
    from: r.from_t,
    to: r.to_t,
    ended: r.ended === 1,
    declared: r.declared === 1,
    evidence: JSON.parse(r.evidence),
    message: r.message,
    late: r.late === 1,
    state: r.state,
    disposition: r.disposition,
    openedAt: r.opened_at,
    updatedAt: r.updated_at,
    deadlineAt: r.deadline_at,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: r.acknowledged_at,
    dispatchedBy: r.dispatched_by,
    dispatchedAt: r.dispatched_at,
    closedBy: r.closed_by,
    closedAt: r.closed_at,
    note: r.note,
  };
  if (r.detected_at !== null) record.detectedAt = r.detected_at;
  if (r.withdrawn !== null) record.withdrawn = r.withdrawn;
  return record;
}
