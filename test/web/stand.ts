// A collector with the page, three registered enterprises and a day of readings that
// arrived the real way: mqtt.js clients play the gateways and publish protocol batches,
// and each batch counts as fed only when the collector's application ack covers it.
import type { MqttClient } from 'mqtt';
import { decodePayload, encodePayload, topicFor } from '../../protocol/index.js';
import { hashPassword } from '../../collector/broker/secrets.js';
import type { RunningCollector } from '../../collector/index.js';
import { createApiToken } from '../../collector/http/auth.js';
import { alertRoutes } from '../../collector/http/routes/alerts.js';
import { createAlertService, type AlertService } from '../../collector/alerts/service.js';
import { batchPayload, connectGateway, nextMessage, PASSWORD, startTestCollector, tempDir } from '../collector/fixtures.js';
import type { AlertEvent } from '../../collector/models/contract.js';
import { DAY_MINUTES, dayStart, enterpriseOf, MINUTE_MS, plantReadings, SITES, STEEL, type Violation } from './site.js';

/** Where the violation sits in the steel plant's day (minutes from the day's start). */
export const VIOLATION: Violation = { fromMinute: 19 * 60, toMinute: 19 * 60 + 45 };

/** How long before now the silent plant's data stops (min): well past the data-gap wait. */
const SILENT_MINUTES = 30;

export interface Stand {
  /** Where the browser opens the page: the collector's own HTTP server. */
  pageUrl: string;
  token: string;
  collector: RunningCollector;
  /** The treatment-off alert over VIOLATION at the steel plant. */
  alertId: number;
  stop(): Promise<void>;
}

export async function startStand(): Promise<Stand> {
  const temp = tempDir();
  // The alert service is built on the collector's store once it is open; the routes ask for it per request.
  let alerts: AlertService | null = null;
  const collector = await startTestCollector(temp.db, { routes: alertRoutes(() => alerts!) });
  const store = collector.store;
  alerts = createAlertService({ store, clock: Date.now });
  const now = Date.now();
  for (const site of SITES) {
    await store.importEnterprise(enterpriseOf(site), now);
    await store.setGatewayPassword(site.gatewayId, hashPassword(PASSWORD));
  }
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
  // As the live engine reports it (its sink is the alert service).
  await alerts.sink.upsert(violationAlert(now), { late: false });
  const [raised] = await alerts.list({ model: 'treatment-off' });
  return {
    pageUrl: collector.httpUrl,
    token,
    collector,
    alertId: raised!.id,
    async stop() {
      await Promise.all(gateways.map((g) => g.endAsync()));
      await collector.stop();
      temp.cleanup();
    },
  };
}

/** The treatment-off event for VIOLATION, as collector/models/treatment-off reports one. */
function violationAlert(now: number): AlertEvent {
  const from = dayStart(now, DAY_MINUTES) + VIOLATION.fromMinute * MINUTE_MS;
  const to = dayStart(now, DAY_MINUTES) + VIOLATION.toMinute * MINUTE_MS;
  const dwellMin = 10;
  return {
    model: 'treatment-off',
    key: `treatment-off:${STEEL.id}-dust:${from}`,
    enterpriseId: STEEL.id,
    facilities: [`${STEEL.id}-kiln`, `${STEEL.id}-dust`],
    severity: 'critical',
    from,
    to,
    ended: true,
    evidence: { productionPowerW: 421_300, treatmentPowerW: 500, treatmentOffBelowW: 5_000, dwellMin },
    declared: false,
    message: '1号除尘风机 off while 1号窑炉 ran',
    detectedAt: from + dwellMin * MINUTE_MS,
  };
}
