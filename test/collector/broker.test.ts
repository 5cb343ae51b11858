// The embedded broker over real sockets: credentials, the per-gateway access list, the
// packet size limit, and that every refusal is counted where the health API shows it.
import t from 'tap';
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { topicFor, COLLECTOR_STATE_TOPIC, decodePayload } from '../../protocol/index.js';
import { mayPublish, maySubscribe } from '../../collector/broker/acl.js';
import { MAX_PACKET_BYTES } from '../../collector/broker/embedded.js';
import { MAX_OFFLINE_MESSAGES } from '../../collector/broker/offline-queue-cap.js';
import { ackCovers, batchPayload, connectGateway, nextMessage, readings, seededCollector, seedRegistry, startTestCollector, tempDir, PASSWORD } from './fixtures.js';

t.test('acl – a gateway publishes only its own up topics and subscribes only its own subtree', async (t) => {
  t.ok(mayPublish('gw-a', topicFor('gw-a', 'data')));
  t.ok(mayPublish('gw-a', topicFor('gw-a', 'state')));
  t.notOk(mayPublish('gw-a', topicFor('gw-b', 'data')), 'another gateway');
  t.notOk(mayPublish('gw-a', topicFor('gw-a', 'config')), 'a down topic');
  t.notOk(mayPublish('gw-a', 'tandem/v1/gw-a/other'));
  t.ok(maySubscribe('gw-a', topicFor('gw-a', 'config')));
  t.ok(maySubscribe('gw-a', 'tandem/v1/gw-a/#'));
  t.ok(maySubscribe('gw-a', COLLECTOR_STATE_TOPIC));
  t.notOk(maySubscribe('gw-a', 'tandem/v1/+/ack'));
  t.notOk(maySubscribe('gw-a', '#'));
  t.notOk(maySubscribe('gw-a', 'tandem/v1/gw-ab/ack'), 'a gateway whose id only starts the same');
});

t.test('embedded broker – refuses strangers and confines each gateway, counting every refusal', async (t) => {
  const { collector } = await seededCollector(t);

  await t.rejects(connectGateway(collector.mqttUrl, 'gw-a', 'wrong password'), /Bad username or password/i, 'wrong password');
  await t.rejects(connectGateway(collector.mqttUrl, 'gw-zz', PASSWORD), /Bad username or password/i, 'unknown gateway');
  await t.rejects(connectGateway(collector.mqttUrl, 'gw-a', ''), /Bad username or password/i, 'no password');
  await t.rejects(connectGateway(collector.mqttUrl, 'gw-a', PASSWORD, { clientId: 'gw-b' }), /Bad username or password/i, "another gateway's client id");
  t.equal(collector.bus.stats.authRefused, 4);

  const a = await connectGateway(collector.mqttUrl, 'gw-a');
  const b = await connectGateway(collector.mqttUrl, 'gw-b');
  t.teardown(() => {
    a.end(true);
    b.end(true);
  });

  // mqtt.js turns a SUBACK failure code 0x80 into a rejection.
  for (const foreign of [topicFor('gw-b', 'ack'), topicFor('gw-b', 'config'), 'tandem/v1/+/data']) {
    await t.rejects(a.subscribeAsync(foreign, { qos: 1 }), /Subscribe error/, `refused: ${foreign}`);
  }
  const granted = await a.subscribeAsync([topicFor('gw-a', 'config'), COLLECTOR_STATE_TOPIC], { qos: 1 });
  t.same(granted.map((g) => g.qos), [1, 1], 'its own topics and the collector state are granted');
  t.equal(collector.bus.stats.subscribeRefused, 3);

  const online = decodePayload(await nextMessage(a, COLLECTOR_STATE_TOPIC));
  t.same(online, { ok: true, value: { v: 1, online: true } }, 'the retained collector state is readable');

  // B listens on its own data topic; A tries to write into it and is disconnected.
  await b.subscribeAsync(topicFor('gw-b', 'ack'), { qos: 1 });
  let leaked = false;
  b.on('message', (topic) => (leaked ||= topic === topicFor('gw-b', 'ack')));
  const closed = new Promise<void>((resolve) => a.once('close', () => resolve()));
  a.publish(topicFor('gw-b', 'ack'), Buffer.from('{"v":1}'), { qos: 1 });
  await closed;
  t.equal(collector.bus.stats.publishRefused, 1, 'counted');
  t.notOk(leaked, 'gateway B never saw it');
});

t.test('embedded broker – closes a connection that announces an oversized packet', async (t) => {
  const { collector } = await seededCollector(t);
  const url = new URL(collector.mqttUrl);
  const socket = net.connect(Number(url.port), url.hostname);
  await new Promise((resolve) => socket.once('connect', resolve));
  // A PUBLISH fixed header (0x30) announcing MAX_PACKET_BYTES + 1 bytes, as a 4-byte varint.
  let length = MAX_PACKET_BYTES + 1;
  const header = [0x30];
  do {
    let byte = length % 128;
    length = Math.floor(length / 128);
    if (length > 0) byte |= 0x80;
    header.push(byte);
  } while (length > 0);
  const ended = new Promise((resolve) => socket.once('close', resolve));
  socket.write(Buffer.from(header));
  await ended;
  t.equal(collector.bus.stats.oversizeRefused, 1);
});

t.test('embedded broker – an offline persistent session keeps at most MAX_OFFLINE_MESSAGES, the rest are dropped and counted', async (t) => {
  const { collector } = await seededCollector(t);
  const session = { clean: false, clientId: 'gw-a' };
  const first = await connectGateway(collector.mqttUrl, 'gw-a', PASSWORD, session);
  await first.subscribeAsync(topicFor('gw-a', 'command'), { qos: 1 });
  await first.endAsync();
  const EXTRA = 50;
  for (let i = 0; i < MAX_OFFLINE_MESSAGES + EXTRA; i++) {
    await collector.bus.publish(topicFor('gw-a', 'command'), Buffer.from(String(i)), { qos: 1, retain: false });
  }
  t.equal(collector.bus.stats.offlineDropped, EXTRA);

  // Listen before connecting: the queued messages follow the CONNACK at once.
  const received: string[] = [];
  const back = mqtt.connect(collector.mqttUrl, { protocolVersion: 4, username: 'gw-a', password: PASSWORD, reconnectPeriod: 0, ...session });
  t.teardown(() => back.end(true));
  back.on('message', (topic, payload) => topic === topicFor('gw-a', 'command') && received.push(payload.toString()));
  await nextMessage(back, topicFor('gw-a', 'command'), (p) => p.toString() === String(MAX_OFFLINE_MESSAGES - 1));
  // Delivery to one client keeps its order: once a marker sent now arrives, nothing else was queued.
  const marker = nextMessage(back, topicFor('gw-a', 'command'), (p) => p.toString() === 'marker');
  await collector.bus.publish(topicFor('gw-a', 'command'), Buffer.from('marker'), { qos: 1, retain: false });
  await marker;
  t.same(received.slice(0, -1), Array.from({ length: MAX_OFFLINE_MESSAGES }, (_, i) => String(i)), 'the oldest messages are kept, in order');
});

const opensslSkip = spawnSync('openssl', ['version']).status === 0 ? false : 'openssl is not installed (needed to make a test certificate)';
t.test('embedded broker – with a key and certificate it speaks MQTT over TLS, and still checks credentials', { skip: opensslSkip }, async (t) => {
  const { dir, db, cleanup } = tempDir();
  t.teardown(cleanup);
  seedRegistry(db);
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
  t.equal(made.status, 0, 'test certificate made');
  const collector = await startTestCollector(db, { tls: { key: readFileSync(key), cert: readFileSync(cert) } });
  t.teardown(() => collector.stop());
  t.match(collector.mqttUrl, /^mqtts:\/\/127\.0\.0\.1:\d+$/);
  const ca = readFileSync(cert);
  const gw = await connectGateway(collector.mqttUrl, 'gw-a', PASSWORD, { ca });
  t.teardown(() => gw.end(true));
  t.ok(gw.connected, 'a gateway trusting the certificate connects');
  await t.rejects(connectGateway(collector.mqttUrl, 'gw-a', 'wrong', { ca }), /Bad username or password/i);
  const plain = mqtt.connect(collector.mqttUrl.replace('mqtts:', 'mqtt:'), { protocolVersion: 4, username: 'gw-a', password: PASSWORD, reconnectPeriod: 0, connectTimeout: 2000 });
  let connected = false;
  plain.on('connect', () => (connected = true));
  await new Promise<void>((resolve) => plain.once('close', () => resolve()));
  plain.end(true);
  t.notOk(connected, 'plain MQTT is not spoken on the TLS port');
});

t.test('embedded broker – MQTT over WebSocket: same credentials, same access list, readings acked', async (t) => {
  const { collector } = await seededCollector(t, [], { wsPort: 0 });
  t.match(collector.wsUrl, /^ws:\/\/127\.0\.0\.1:\d+\/mqtt$/);
  await t.rejects(connectGateway(collector.wsUrl!, 'gw-a', 'wrong'), /Bad username or password/i);
  const gw = await connectGateway(collector.wsUrl!, 'gw-a');
  t.teardown(() => gw.end(true));
  await t.rejects(gw.subscribeAsync(topicFor('gw-b', 'ack'), { qos: 1 }), /Subscribe error/, "another gateway's topics stay closed");
  await gw.subscribeAsync(topicFor('gw-a', 'ack'), { qos: 1 });
  const acked = nextMessage(gw, topicFor('gw-a', 'ack'), (p) => ackCovers(p, 1n, 10n));
  await gw.publishAsync(topicFor('gw-a', 'data'), batchPayload('gw-a', readings(1n, 10, Date.now() - 60_000)), { qos: 1 });
  await acked;
  t.equal(await collector.store.readingCount(), 10);
});
