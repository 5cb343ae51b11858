// The models running live inside the collector: stored readings → the engine
// (collector/models/engine.ts) on event time → the alert service (collector/alerts) → the
// store's alerts, with webhooks delivered from the store's durable queue. The alert API
// acts through the same service. Registry, order, notice and model parameter changes
// reload the engine.
import type { Logger } from '../lib/logger.js';
import { createAlertService, type AlertService } from './alerts/service.js';
import { WebhookDispatcher } from './alerts/webhooks.js';
import { alertRoutes } from './http/routes/alerts.js';
import { levelRoutes } from './http/routes/levels.js';
import type { Route } from './http/router.js';
import type { Analysis } from './ingest/analysis.js';
import type { Notice, Order } from './models/contract.js';
import type { ModelConfig } from './models/model.js';
import { createEngine, type Engine, type EngineSource } from './models/engine.js';
import { allAlerts } from './store/alert-pages.js';
import { riskScoreRecorder } from './store/risk-scores.js';
import type { Store } from './store/store.js';

/** How often due webhook deliveries are attempted, and the registry checked for changes (ms). */
export const LIVE_MODELS_PERIOD_MS = 1000;
/** Changed model parameters re-evaluate this much of the enterprise's recent past (ms). */
export const PARAMS_REEVALUATE_MS = 24 * 3_600_000;

export interface LiveModels {
  analysis: Analysis;
  routes: Route[];
  alerts: AlertService;
  engine: Engine;
}

/** What the engine reads, from the collector's store. */
export function storeSource(store: Store): EngineSource {
  return {
    minutes: (facility, from, to) => store.minutes(facility, from, to),
    facilities: () => store.facilityInfos(),
    enterprises: () => store.enterpriseInfos(),
    orders: () => store.orders(),
    notices: () => store.notices(),
    readings: (facilities, from, to) => store.facilityReadings(facilities, from, to),
    firstMinute: (facility) => store.firstMinute(facility),
    config: () => store.modelConfig(),
    // After a restart the engine extends or withdraws what it raised before (engine-source.ts).
    recentAlerts: async (since) => (await allAlerts((filter) => store.alerts(filter), { from: since })).filter((a) => !a.withdrawn),
  };
}

export function startLiveModels(store: Store, log: Logger, now: () => number = Date.now): LiveModels {
  const webhooks = new WebhookDispatcher({
    queue: { add: (d) => store.addDelivery(d), due: (at, limit) => store.dueDeliveries(at, limit), update: (d) => store.updateDelivery(d) },
    subscriptions: () => store.webhookSubscriptions(),
    clock: now,
  });
  const alerts = createAlertService({
    store,
    clock: now,
    onChange: (alert, change) => webhooks.enqueue(alert, change),
    onRanking: riskScoreRecorder(store, now),
  });
  const engine = createEngine({
    source: storeSource(store),
    sink: alerts.sink,
    now,
    onError: (error) => log.error({ err: (error as Error).message }, 'model evaluation failed'),
  });

  const follower = followRegistry(store, engine, now);
  // The follower's first run takes the baseline of orders, notices and parameters: it runs
  // now, before the engine has evaluated anything or an operator could change one, so that
  // a change made in the first period is seen as a change (and re-evaluated), not taken as
  // the baseline.
  let busy = true;
  const step = (work: Promise<unknown>) =>
    work.catch((error: Error) => log.error({ err: error.message }, 'webhook delivery or registry follow failed')).finally(() => (busy = false));
  void step(follower());
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void step(Promise.all([webhooks.deliverDue(), follower()]));
  }, LIVE_MODELS_PERIOD_MS);
  timer.unref();

  return {
    alerts,
    engine,
    routes: [...alertRoutes(() => alerts), ...levelRoutes(engine, follower)],
    analysis: {
      onStored: (event) => engine.onStored(event),
      stats: () => engine.stats(),
      async stop() {
        clearInterval(timer);
        await engine.close();
      },
    },
  };
}

/**
 * On a registry change the engine reloads; a new or changed order or notice also
 * re-evaluates its window (alerts inside a notice become declared, DESIGN.md "Notice"), and
 * changed model parameters re-evaluate the last PARAMS_REEVALUATE_MS of their enterprise
 * (a condition ongoing now is judged by the new thresholds; older alerts stay as raised).
 */
function followRegistry(store: Store, engine: Engine, now: () => number): () => Promise<void> {
  let revision = -1;
  let orders = new Map<string, string>();
  let notices = new Map<string, string>();
  let params = new Map<string, string>();
  return async () => {
    const current = await store.registryRevision();
    if (current === revision) return;
    const first = revision === -1;
    revision = current;
    engine.reload();
    const [newOrders, newNotices, facilities, config] = await Promise.all([store.orders(), store.notices(), store.facilityInfos(), store.modelConfig()]);
    const enterpriseOf = new Map(facilities.map((f) => [f.id, f.enterpriseId]));
    const changed = <T extends Order | Notice>(list: T[], seen: Map<string, string>) =>
      first ? [] : list.filter((item) => seen.get(item.id) !== JSON.stringify(item));
    for (const order of changed(newOrders, orders)) for (const id of order.enterpriseIds) engine.reevaluate(id, order.from, order.to);
    for (const notice of changed(newNotices, notices)) {
      const enterprise = enterpriseOf.get(notice.facility);
      if (enterprise) engine.reevaluate(enterprise, notice.from, notice.to);
    }
    const newParams = paramsByEnterprise(config, enterpriseOf);
    if (!first) {
      for (const id of new Set([...params.keys(), ...newParams.keys()])) {
        if (params.get(id) !== newParams.get(id)) engine.reevaluate(id, now() - PARAMS_REEVALUATE_MS, now());
      }
    }
    orders = new Map(newOrders.map((o) => [o.id, JSON.stringify(o)]));
    notices = new Map(newNotices.map((n) => [n.id, JSON.stringify(n)]));
    params = newParams;
  };
}

/** Each enterprise's parameters and its facilities' as one comparable string. */
function paramsByEnterprise(config: ModelConfig, enterpriseOf: Map<string, string>): Map<string, string> {
  const parts = new Map<string, Record<string, unknown>>();
  const add = (enterprise: string | undefined, key: string, value: unknown) => {
    if (enterprise) (parts.get(enterprise) ?? parts.set(enterprise, {}).get(enterprise)!)[key] = value;
  };
  for (const [id, models] of Object.entries(config.enterprises ?? {})) add(id, '', models);
  for (const [id, models] of Object.entries(config.facilities ?? {})) add(enterpriseOf.get(id), id, models);
  return new Map([...parts].map(([id, value]) => [id, JSON.stringify(value)]));
}
