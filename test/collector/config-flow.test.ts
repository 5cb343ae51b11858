// The configuration service end to end, once with the embedded broker and once with the
// collector as a client of the Mosquitto on this machine: a registry change reaches the
// gateway as a new retained version, its ack is recorded, an identical registry sends
// nothing, and readings flow and are acked on the same connection.
import t, { type Test } from 'tap';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { decodePayload, encodePayload, topicFor, type Config } from '../../protocol/index.js';
import type { RunningCollector } from '../../collector/index.js';
import { ackCovers, batchPayload, enterprise, eventually, nextMessage, readings, seededCollector, startTestCollector, tempDir } from './fixtures.js';
import { SqliteStore } from '../../collector/store/sqlite/sqlite-store.js';
import mqtt from 'mqtt';

const MOSQUITTO = { host: '127.0.0.1', port: 1883 };

function configOf(payload: Buffer): Config {
  const decoded = decodePayload(payload);
  if (!decoded.ok) throw new Error('config is not JSON');
  return decoded.value as Config;
}

async function configFlow(t: Test, collector: RunningCollector, gw: MqttClient, gatewayId: string, enterpriseId: string): Promise<void> {
  const configTopic = topicFor(gatewayId, 'config');
  const ackTopic = topicFor(gatewayId, 'ack');
  const v1 = nextMessage(gw, configTopic);
  await gw.subscribeAsync([configTopic, ackTopic], { qos: 1 });
  const first = configOf(await v1);
  t.equal(first.version, 1, 'the retained configuration arrives on subscribe');
  t.same(first.poll.buses[0]!.meters.map((m) => m.id), ['m1', 'm2']);

  await gw.publishAsync(topicFor(gatewayId, 'configAck'), encodePayload({ v: 1, version: 1, status: 'applied', running: 1, errors: [], t: Date.now() }), { qos: 1 });
  await eventually(async () => (await collector.store.gatewayStatus(gatewayId))?.ack?.version === 1, 'ack recorded');
  t.pass('the ack is recorded');

  const v2 = nextMessage(gw, configTopic, (p) => configOf(p).version === 2);
  await collector.store.upsertMeter({ id: 'm3', gatewayId, facility: `${enterpriseId}-dust`, bus: 'bus1', unit: 3, profile: 'dtsu666' });
  const second = configOf(await v2);
  t.same(second.poll.buses[0]!.meters.map((m) => m.id), ['m1', 'm2', 'm3'], 'a registry change becomes version 2');

  // Re-importing the same registry content changes nothing: no version 3 before the next ack.
  let resent = false;
  gw.on('message', (topic) => (resent ||= topic === configTopic));
  const same = await collector.store.enterprise(enterpriseId);
  await collector.store.importEnterprise(same!, Date.now());
  const results = await collector.config.syncAll(false);
  t.same(results.find((r) => r.gatewayId === gatewayId), { gatewayId, version: 2, changed: false });
  const acked = nextMessage(gw, ackTopic, (p) => ackCovers(p, 1n, 10n));
  await gw.publishAsync(topicFor(gatewayId, 'data'), batchPayload(gatewayId, readings(1n, 10, Date.now() - 60_000)), { qos: 1 });
  await acked;
  t.notOk(resent, 'an identical configuration is not re-sent');
  t.equal(await collector.store.readingCount(), 10, 'readings flow through the same broker');
}

t.test('config service – embedded broker: change, publish, ack, no identical re-send', async (t) => {
  const {
    collector,
    clients: [gw],
  } = await seededCollector(t, ['gw-a']);
  await configFlow(t, collector, gw!, 'gw-a', 'a');
});

function mosquittoAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(MOSQUITTO.port, MOSQUITTO.host);
    socket.setTimeout(1000, () => (socket.destroy(), resolve(false)));
    socket.once('connect', () => (socket.end(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

const skip = (await mosquittoAnswers()) ? false : 'no MQTT broker answers on 127.0.0.1:1883';
t.test('config service – collector as a client of the local Mosquitto: the same flow', { skip }, async (t) => {
  const { db, cleanup } = tempDir();
  // Unique ids: the real broker keeps retained messages across test runs.
  const suffix = randomBytes(4).toString('hex');
  const gatewayId = `gw-t${suffix}`;
  const store = new SqliteStore(db);
  store.importEnterprise(enterprise(`e${suffix}`, gatewayId), Date.now());
  store.close();
  const url = `mqtt://${MOSQUITTO.host}:${MOSQUITTO.port}`;
  const collector = await startTestCollector(db, { broker: url, brokerClientId: `tandem-collector-test-${suffix}` });
  // Mosquitto here allows anonymous clients; its own ACL is the production safeguard.
  const gw = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: gatewayId, reconnectPeriod: 0 });
  t.teardown(async () => {
    await gw.publishAsync(topicFor(gatewayId, 'config'), Buffer.alloc(0), { qos: 1, retain: true });
    gw.end(true);
    await collector.stop();
    cleanup();
  });
  await configFlow(t, collector, gw, gatewayId, `e${suffix}`);
});

t.test('external broker – readings published while the collector is down wait in its session and are stored on restart', { skip }, async (t) => {
  const { db, cleanup } = tempDir();
  const suffix = randomBytes(4).toString('hex');
  const gatewayId = `gw-t${suffix}`;
  const store = new SqliteStore(db);
  store.importEnterprise(enterprise(`e${suffix}`, gatewayId), Date.now());
  store.close();
  const url = `mqtt://${MOSQUITTO.host}:${MOSQUITTO.port}`;
  const options = { broker: url, brokerClientId: `tandem-collector-test-${suffix}` };
  const first = await startTestCollector(db, options);
  await first.stop();

  const gw = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: gatewayId, reconnectPeriod: 0 });
  t.teardown(async () => {
    await gw.publishAsync(topicFor(gatewayId, 'config'), Buffer.alloc(0), { qos: 1, retain: true });
    gw.end(true);
    cleanup();
  });
  await gw.subscribeAsync(topicFor(gatewayId, 'ack'), { qos: 1 });
  await gw.publishAsync(topicFor(gatewayId, 'data'), batchPayload(gatewayId, readings(1n, 20, Date.now() - 60_000)), { qos: 1 });

  const acked = nextMessage(gw, topicFor(gatewayId, 'ack'), (p) => ackCovers(p, 1n, 20n));
  const second = await startTestCollector(db, options);
  t.teardown(() => second.stop());
  await acked;
  t.equal(await second.store.readingCount(), 20, 'what the broker kept for the collector is stored and acked');
});
