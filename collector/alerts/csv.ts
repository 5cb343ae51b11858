// CSV export of alerts for a time range (issue 6), RFC 4180: comma-separated, CRLF line
// ends, fields quoted when they hold a comma, quote or line break; times in ISO 8601 UTC.
import type { AlertRecord } from '../store/store.js';
import { isOverdue } from './lifecycle.js';

export const CSV_COLUMNS = [
  'id',
  'model',
  'enterprise',
  'facilities',
  'severity',
  'from',
  'to',
  'ended',
  'declared',
  'late',
  'state',
  'disposition',
  'overdue',
  'opened_at',
  'deadline_at',
  'acknowledged_by',
  'acknowledged_at',
  'dispatched_by',
  'dispatched_at',
  'closed_by',
  'closed_at',
  'message',
  'evidence',
  'note',
] as const;

function field(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const time = (t: number | null | undefined) => (t === null || t === undefined ? '' : new Date(t).toISOString());

/** Alerts whose event-time window overlaps [from, to), oldest first, as one CSV text. */
export function alertsCsv(alerts: readonly AlertRecord[], range: { from: number; to: number }, now: number): string {
  const rows = alerts
    .filter((a) => a.from < range.to && a.to > range.from)
    .sort((a, b) => a.from - b.from || a.id - b.id)
    .map((a) =>
      [
        a.id,
        a.model,
        a.enterpriseId,
        a.facilities.join(' '),
        a.severity,
        time(a.from),
        time(a.to),
        a.ended,
        a.declared,
        a.late,
        a.state,
        a.disposition,
        isOverdue(a, now),
        time(a.openedAt),
        time(a.deadlineAt),
        a.acknowledgedBy,
        time(a.acknowledgedAt),
        a.dispatchedBy,
        time(a.dispatchedAt),
        a.closedBy,
        time(a.closedAt),
        a.message,
        JSON.stringify(a.evidence),
        a.note,
      ]
        .map(field)
        .join(','),
    );
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}
