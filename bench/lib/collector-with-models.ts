// `tandem collector` with the models on, composed the way the collector will wire them:
// startCollector's Analysis hook feeds the live engine (collector/models/engine.ts), whose
// source is the collector's store and whose sink is the alert service. At this commit the
// CLI does not wire the engine yet, so the bench does it here. Not given: a readings source
// (meter-integrity sees no raw readings) and per-facility model config (defaults apply).
// Prints where it listens as one JSON line, like `tandem collector --json`.
import { createAlertService } from '../../collector/alerts/service.js';
import { startCollector, type StoredEvent } from '../../collector/index.js';
import { createEngine, type Engine } from '../../collector/models/engine.js';
import { createLogger } from '../../lib/logger.js';

const [db, mqttPort = '0'] = process.argv.slice(2);
const log = createLogger('collector', process.env.TANDEM_LOG_LEVEL ?? 'warn');
let engine: Engine | null = null;
const running = await startCollector({
  db: db!,
  host: '127.0.0.1',
  mqttPort: Number(mqttPort),
  httpPort: 0,
  log,
  analysis: { onStored: (event: StoredEvent) => engine?.onStored(event) },
});
const store = running.store;
const alerts = createAlertService({ store, clock: Date.now });
engine = createEngine({
  source: {
    minutes: (facility, from, to) => store.minutes(facility, from, to),
    facilities: () => store.facilityInfos(),
    enterprises: () => store.enterpriseInfos(),
    orders: () => store.orders(),
    notices: () => store.notices(),
  },
  sink: alerts.sink,
  now: Date.now,
  onError: (error) => log.error({ err: (error as Error).message }, 'engine tick failed'),
});
process.stdout.write(`${JSON.stringify({ mqttUrl: running.mqttUrl, httpUrl: running.httpUrl, pid: process.pid })}\n`);
process.once('SIGTERM', () => {
  void engine!
    .close()
    .then(() => running.stop())
    .then(() => process.exit(0));
});
