// The alert workflow over a store: the engine's sink (events open and extend alerts, the
// workflow reacts to declared and withdrawn ones) and the operator's steps. Every new or
// changed alert is reported to onChange, where webhooks are queued.
import { collectorError } from '../errors.js';
import type { AlertEvent } from '../models/contract.js';
import type { EngineSink } from '../models/engine.js';
import type { AlertFilter, AlertRecord } from '../store/store.js';
import type { AlertStore } from './alert-store.js';
import { deadlineFor, DEFAULT_DISPATCH_DEADLINE_MS, eventPatch, isOverdue, RANKING_MODELS, stepPatch, type Step, type StepRequest } from './lifecycle.js';

export type AlertChange = 'alert.created' | 'alert.updated';

export interface AlertServiceOptions {
  store: AlertStore;
  clock: () => number;
  deadlineMs?: number;
  /** A new or changed alert, after the workflow reacted to it. */
  onChange?: (alert: AlertRecord, change: AlertChange) => void | Promise<void>;
  /** Events of ranking models (risk-ranking) go here instead of the alert queue. */
  onRanking?: (event: AlertEvent) => void | Promise<void>;
}

export interface AlertView extends AlertRecord {
  overdue: boolean;
}

export interface AlertService {
  sink: EngineSink;
  step(id: number, step: Step, request: StepRequest): Promise<AlertView>;
  get(id: number): Promise<AlertView | null>;
  list(filter: AlertFilter): Promise<AlertView[]>;
}

export function createAlertService(options: AlertServiceOptions): AlertService {
  const { store, clock } = options;
  const deadlineMs = options.deadlineMs ?? DEFAULT_DISPATCH_DEADLINE_MS;
  const view = (alert: AlertRecord): AlertView => ({ ...alert, overdue: isOverdue(alert, clock()) });

  return {
    sink: {
      async upsert(event, meta) {
        if (RANKING_MODELS.includes(event.model)) {
          await options.onRanking?.(event);
          return;
        }
        const now = clock();
        const result = await store.upsertAlert(event, { late: meta.late, deadlineAt: deadlineFor(event, now, deadlineMs) }, now);
        if (!result.changed) return;
        const patch = eventPatch(result.record, now, deadlineMs);
        const record = patch ? ((await store.updateAlert(result.record.id, patch, now)) ?? result.record) : result.record;
        await options.onChange?.(record, result.created ? 'alert.created' : 'alert.updated');
      },
    },
    async step(id, step, request) {
      const alert = (await store.alert(id)) ?? notFound(id);
      const now = clock();
      const updated = (await store.updateAlert(id, stepPatch(step, alert, request, now), now)) ?? notFound(id);
      await options.onChange?.(updated, 'alert.updated');
      return view(updated);
    },
    async get(id) {
      const alert = await store.alert(id);
      return alert ? view(alert) : null;
    },
    async list(filter) {
      return (await store.alerts(filter)).map(view);
    },
  };
}

function notFound(id: number): never {
  throw collectorError('TANDEM_COLLECTOR_NOT_FOUND', `no alert ${id}`);
}
