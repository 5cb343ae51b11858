// A collector with the page, four registered enterprises and a day of readings that
// arrived the real way: mqtt.js clients play the gateways and publish protocol batches,
// each counted as fed only when the collector's application ack covers it, and the
// models turn them into alerts.
import type { MqttClient } from 'mqtt';
import { decodePayload, encodePayload, topicFor } from '../../protocol/index.js';
import { hashPassword } from '../../collector/broker/secrets.js';
import type { RunningCollector, StoredEvent } from '../../collector/index.js';
import { createEngine, type Engine } from '../../collector/models/engine.js';
import { createApiToken } from '../../collector/http/auth.js';
import { alertRoutes } from '../../collector/http/routes/alerts.js';
import { createAlertService, type AlertService } from '../../collector/alerts/service.js';
import { batchPayload, connectGateway, nextMessage, PASSWORD, startTestCollector, tempDir } from '../collector/fixtures.js';
import { DAY_MINUTES, enterpriseOf, MINUTE_MS, plantReadings, SITES, type Violation } from './site.js';

/** Where the violation sits in the steel plant's day (minutes from the day's start). */
export const VIOLATION: Violation = { fromMinute: 19 * 60, toMinute: 19 * 60 + 45 };

/** How long before now the silent plant's data stops (min): well past the data-gap wait. */
const SILENT_MINUTES = 30;

export interface Stand {
  /** Where the browser opens the page: the collector's own HTTP server. */
  pageUrl: string;
  token: string;
  collector: RunningCollector;
  /** The treatment-off alert the model raised over VIOLATION at the steel plant. */
  alertId: number;
  stop(): Promise<void>;
}

export async function startStand(): Promise<Stand> {
  const temp = tempDir();
  // The models on, composed as bench/lib/collector-with-models.ts does until the collector
  // wires them itself: stored readings → live engine → alert service → store; the alert
  // routes act through the same service.
  let alerts: AlertService | null = null;
  let engine: Engine | null = null;
  const collector = await startTestCollector(temp.db, {
    routes: alertRoutes(() => alerts!),
    analysis: { onStored: (event: StoredEvent) => engine?.onStored(event) },
  });
  const store = collector.store;
  alerts = createAlertService({ store, clock: Date.now });
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
    tickMs: 0, // evaluated on flush(), once the day is stored
  });
  const now = Date.now();
  for (const site of SITES) {
    await store.importEnterprise(enterpriseOf(site), now);
    await store.setGatewayPassword(site.gatewayId, hashPassword(PASSWORD));
  }
  engine.reload();
  const token = await createApiToken(store, 'admin', 'browser test', now);
  const gateways: MqttClient[] = [];
  for (const site of SITES.filter((s) => s.day !== 'offline')) {
    const client = await connectGateway(collector.mqttUrl, site.gatewayId);
    gateways.push(client);
    await client.subscribeAsync(topicFor(site.gatewayId, 'ack'), { qos: 1 });
    await client.publishAsync(topicFor(site.gatewayId, 'state'), encodePayload({ v: 1, online: true, t: now }), { qos: 1, retain: true });
    const end = site.day === 'silent' ? now - SILENT_MINUTES * MINUTE_MS : now;
    const readings = plantReadings(end, DAY_MINUTES, 1n, site.day === 'violation' ? VIOLATION : undefined);
    const lastSeq = readings.at(-1)!.seq.toString();
    const acked = nextMessage(client, topicFor(site.gatewayId, 'ack'), (payload) => JSON.stringify(decodePayload(payload)).includes(lastSeq));
    await client.publishAsync(topicFor(site.gatewayId, 'data'), batchPayload(site.gatewayId, readings), { qos: 1 });
    await acked;
  }
  await engine.flush();
  const [raised] = await alerts.list({ model: 'treatment-off' });
  if (!raised) throw new Error('the treatment-off model did not see the injected violation');
  return {
    pageUrl: collector.httpUrl,
    token,
    collector,
    alertId: raised!.id,
    async stop() {
      await engine!.close();
      await Promise.all(gateways.map((g) => g.endAsync()));
      await collector.stop();
      temp.cleanup();
    },
  };
}

