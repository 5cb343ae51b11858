// What the alert workflow needs from the collector's store (collector/store/store.ts: the
// SQLite Store has these methods), and an in-memory implementation for scoring and tests.
import { alertEventOf, type AlertEvent } from '../models/contract.js';
import type { AlertFilter, AlertRecord, AlertUpsert, AlertWorkflowPatch, Store } from '../store/store.js';

export type AlertStore = Pick<Store, 'upsertAlert' | 'alert' | 'alerts' | 'updateAlert'>;

const DEFAULT_LIMIT = 500;

export class MemoryAlertStore implements AlertStore {
  private readonly byId = new Map<number, AlertRecord>();
  private readonly idByKey = new Map<string, number>();
  private nextId = 1;

  upsertAlert(event: AlertEvent, extra: { late: boolean; deadlineAt: number | null }, now: number): AlertUpsert {
    const id = this.idByKey.get(event.key);
    const existing = id === undefined ? undefined : this.byId.get(id);
    if (!existing) {
      const record: AlertRecord = {
        ...alertEventOf(event),
        id: this.nextId++,
        late: extra.late,
        state: 'open',
        disposition: null,
        openedAt: now,
        updatedAt: now,
        deadlineAt: extra.deadlineAt,
        acknowledgedBy: null,
        acknowledgedAt: null,
        dispatchedBy: null,
        dispatchedAt: null,
        closedBy: null,
        closedAt: null,
        note: null,
      };
      this.byId.set(record.id, record);
      this.idByKey.set(event.key, record.id);
      return { record: { ...record }, created: true, changed: true };
    }
    const fields = alertEventOf(event);
    const before = JSON.stringify(alertEventOf(existing));
    const changed = JSON.stringify(fields) !== before;
    if (changed) {
      delete existing.detectedAt;
      delete existing.withdrawn;
      Object.assign(existing, fields, { updatedAt: now });
    }
    return { record: { ...existing }, created: false, changed };
  }

  alert(id: number): AlertRecord | null {
    const record = this.byId.get(id);
    return record ? { ...record } : null;
  }

  alerts(filter: AlertFilter): AlertRecord[] {
    return [...this.byId.values()]
      .filter(
        (a) =>
          (!filter.model || a.model === filter.model) &&
          (!filter.enterpriseId || a.enterpriseId === filter.enterpriseId) &&
          (!filter.states?.length || filter.states.includes(a.state)) &&
          (filter.from === undefined || a.to >= filter.from) &&
          (filter.to === undefined || a.from < filter.to) &&
          (filter.beforeId === undefined || a.id < filter.beforeId),
      )
      .sort((a, b) => b.id - a.id)
      .slice(0, filter.limit ?? DEFAULT_LIMIT)
      .map((a) => ({ ...a }));
  }

  updateAlert(id: number, patch: AlertWorkflowPatch, now: number): AlertRecord | null {
    const record = this.byId.get(id);
    if (!record) return null;
    Object.assign(record, patch, { updatedAt: now });
    return { ...record };
  }
}
