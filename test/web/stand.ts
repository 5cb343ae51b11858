// A collector with the page, four registered enterprises and a day of readings that
// arrived the real way: mqtt.js clients play the gateways and publish protocol batches,
// each counted as fed only when the collector's application ack covers it, and the
// models turn them into alerts.
import type { MqttClient } from 'mqtt';
import { encodePayload, formatIssues, parseMessage, topicFor, type Health } from '../../protocol/index.js';
import { hashPassword } from '../../collector/broker/secrets.js';
import type { RunningCollector } from '../../collector/index.js';
import { createApiToken } from '../../collector/http/auth.js';
import { batchPayload, connectGateway, eventually, nextMessage, PASSWORD, startTestCollector, tempDir } from '../collector/fixtures.js';
import { DAY_MINUTES, enterpriseOf, MINUTE_MS, plantReadings, SITES, type SiteSpec, type Violation } from './site.js';

/** Where the violation sits in the steel plant's day (minutes from the day's start). */
export const VIOLATION: Violation = { fromMinute: 19 * 60, toMinute: 19 * 60 + 45 };

/** How long before now the silent plant's data stops (min): well past the data-gap wait. */
const SILENT_MINUTES = 30;
/** Its meters, each a data-gap alert. */
const SILENT_METERS = 2;
/** Bound on waiting for the live models to evaluate the fed day (ms). */
const ALERTS_WAIT_MS = 30_000;

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
  // The collector as it runs by default: models live, the alert service and its API.
  const collector = await startTestCollector(temp.db);
  const store = collector.store;
  const gateways: MqttClient[] = [];
  const stop = async () => {
    await Promise.all(gateways.map((g) => g.endAsync()));
    await collector.stop();
    temp.cleanup();
  };
  try {
    const now = Date.now();
    for (const site of SITES) {
      await store.importEnterprise(enterpriseOf(site), now);
      await store.setGatewayPassword(site.gatewayId, hashPassword(PASSWORD));
    }
    for (const site of SITES.filter((s) => s.day !== 'offline')) gateways.push(await playGateway(collector.mqttUrl, site, now));
    await eventually(async () => (await store.gatewayStatuses()).filter((s) => s.health && s.ack).length === gateways.length, 'health and config acks recorded');
    // The models run on their own tick: wait (bounded) for what the day's data must raise.
    const raised = async (model: string) => store.alerts({ model });
    await eventually(async () => (await raised('treatment-off')).length === 1 && (await raised('data-gap')).length === SILENT_METERS, 'treatment-off at the steel plant and data-gap at the silent one', ALERTS_WAIT_MS);
    const [treatmentOff] = await raised('treatment-off');
    return { pageUrl: collector.httpUrl, token: await createApiToken(store, 'admin', 'browser test', now), collector, alertId: treatmentOff!.id, stop };
  } catch (error) {
    await stop(); // a half-built stand must not keep the test process alive
    throw error;
  }
}

/**
 * One gateway's day: online, a day of readings in one batch (fed once the collector's
 * application ack covers the last one), the configuration acked, one health report.
 */
async function playGateway(mqttUrl: string, site: SiteSpec, now: number): Promise<MqttClient> {
  const client = await connectGateway(mqttUrl, site.gatewayId);
  await client.subscribeAsync(topicFor(site.gatewayId, 'ack'), { qos: 1 });
  await client.publishAsync(topicFor(site.gatewayId, 'state'), encodePayload({ v: 1, online: true, t: now }), { qos: 1, retain: true });
  const end = site.day === 'silent' ? now - SILENT_MINUTES * MINUTE_MS : now;
  const readings = plantReadings(end, DAY_MINUTES, 1n, site.day === 'violation' ? VIOLATION : undefined);
  const lastSeq = readings.at(-1)!.seq;
  const covers = (payload: Buffer) => {
    const ack = parseMessage('ack', payload);
    return ack.ok && ack.value.ranges.some(([from, to]) => BigInt(from) <= lastSeq && lastSeq <= BigInt(to));
  };
  const acked = nextMessage(client, topicFor(site.gatewayId, 'ack'), covers);
  await client.publishAsync(topicFor(site.gatewayId, 'data'), batchPayload(site.gatewayId, readings), { qos: 1 });
  await acked;
  await ackConfig(client, site.gatewayId);
  await client.publishAsync(topicFor(site.gatewayId, 'health'), encodePayload(health(Date.now(), lastSeq)), { qos: 0 });
  return client;
}

/** Answers the retained configuration the collector published, as an agent that applied it. */
async function ackConfig(client: MqttClient, gatewayId: string): Promise<void> {
  const config = nextMessage(client, topicFor(gatewayId, 'config'));
  await client.subscribeAsync(topicFor(gatewayId, 'config'), { qos: 1 });
  const parsed = parseMessage('config', await config);
  if (!parsed.ok) throw new Error(`the collector published a config the protocol refuses: ${formatIssues(parsed.errors)}`);
  const { version } = parsed.value;
  const ack = { v: 1, version, status: 'applied', running: version, errors: [], t: Date.now() };
  await client.publishAsync(topicFor(gatewayId, 'configAck'), encodePayload(ack), { qos: 1 });
}

/** A health report of a gateway whose outbox is empty (everything fed was acked). */
function health(t: number, lastSeq: bigint): Health {
  const meter = (id: string) => ({ id, lastOkT: t, lastErrorT: null, lastError: null, okRate: 1, backoff: false });
  return {
    v: 1,
    t,
    uptimeS: 86_400,
    versions: { agent: 'stand', protocol: 1, node: process.version },
    configVersion: 1,
    meters: [meter('m-kiln'), meter('m-dust')],
    queueOverruns: 0,
    outbox: { depth: 0, bytes: 0, oldestT: null, dropped: 0, lastSeq: lastSeq.toString() },
    clockOffsetMs: 120,
    rssBytes: 60_000_000,
    diskFreeBytes: null,
  };
}
