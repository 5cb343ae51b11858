// Ingest over real sockets and a real SQLite file: idempotent storage by (gateway, seq),
// acks only for what is stored, quarantine of everything unacceptable, flags for
// implausible timestamps, and gateway state, health and gaps recorded.
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { encodePayload, topicFor } from '../../protocol/index.js';
import { READING_FLAGS } from '../../collector/store/store.js';
import { ackCovers, batchPayload, connectGateway, eventually, nextMessage, readings, seededCollector } from './fixtures.js';

const T0 = Date.now() - 3_600_000;


t.test('ingest – stores readings once by (gateway, seq), in any order, and acks only stored ones', async (t) => {
  const {
    collector,
    clients: [gw],
  } = await seededCollector(t, ['gw-a']);
  await gw.subscribeAsync(topicFor('gw-a', 'ack'), { qos: 1 });
  const first = readings(1n, 100, T0);
  for (let i = 0; i < 3; i++) {
    const acked = nextMessage(gw, topicFor('gw-a', 'ack'), (p) => ackCovers(p, 1n, 100n));
    await gw.publishAsync(topicFor('gw-a', 'data'), batchPayload('gw-a', first), { qos: 1 });
    await acked;
  }
  t.equal(await collector.store.readingCount(), 100, 'the same batch sent 3 times is stored once');
  t.equal(collector.ingest.stats.readingsDuplicate, 200);

  // Later batches first (a backlog arriving after live data), then the earlier one.
  const later = readings(201n, 50, T0 + 1_500_000);
  const earlier = readings(101n, 100, T0 + 750_000);
  const both = Promise.all([
    nextMessage(gw, topicFor('gw-a', 'ack'), (p) => ackCovers(p, 201n, 250n)),
    nextMessage(gw, topicFor('gw-a', 'ack'), (p) => ackCovers(p, 101n, 200n)),
  ]);
  await gw.publishAsync(topicFor('gw-a', 'data'), batchPayload('gw-a', later), { qos: 1 });
  await gw.publishAsync(topicFor('gw-a', 'backlog'), batchPayload('gw-a', earlier), { qos: 1 });
  await both;
  t.equal(await collector.store.readingCount(), 250);
  const stored = await collector.store.readings('gw-a', 'm1', T0, T0 + 86_400_000, 1000);
  t.equal(stored.length, 125);
  t.ok(stored.every((r, i) => i === 0 || r.t > stored[i - 1]!.t), 'read back in time order');
  t.same(stored[0]!.values, first[0]!.values, 'values survive the round trip');

  const minutes = await collector.store.minutes('a-kiln', T0 - (T0 % 60_000), T0 + 86_400_000);
  t.ok(minutes.length > 0 && minutes.every((m) => m.metersReporting === 1 && m.powerW !== null), 'facility minutes follow the readings');
});

t.test('ingest – 10,000 random or truncated payloads are quarantined while valid traffic is stored', async (t) => {
  const {
    collector,
    clients: [gw],
  } = await seededCollector(t, ['gw-a']);
  await gw.subscribeAsync(topicFor('gw-a', 'ack'), { qos: 1 });
  const valid = batchPayload('gw-a', readings(1n, 20, T0));
  const JUNK = 10_000;
  const VALID_EVERY = 500;
  let seq = 1n;
  for (let i = 0; i < JUNK; i++) {
    const junk = i % 2 === 0 ? randomBytes(1 + (i % 300)) : valid.subarray(0, 1 + (i % (valid.length - 1)));
    gw.publish(topicFor('gw-a', i % 3 === 0 ? 'backlog' : 'data'), junk, { qos: 0 });
    if (i % VALID_EVERY === 0) {
      gw.publish(topicFor('gw-a', 'data'), batchPayload('gw-a', readings(seq, 10, T0 + Number(seq) * 15_000)), { qos: 0 });
      seq += 10n;
    }
  }
  const lastAck = nextMessage(gw, topicFor('gw-a', 'ack'), (p) => ackCovers(p, seq, seq), 30_000);
  await gw.publishAsync(topicFor('gw-a', 'data'), batchPayload('gw-a', readings(seq, 1, T0)), { qos: 1 });
  await lastAck;
  await eventually(async () => (await collector.store.quarantineCount()) === JUNK, 'all junk quarantined', 30_000);
  t.equal(await collector.store.readingCount(), Number(seq), 'every valid reading in between is stored');
  const [entry] = await collector.store.quarantine(1);
  t.ok(entry!.reason.length > 0 && entry!.gatewayId === 'gw-a', `each with a reason, e.g. "${entry!.reason.slice(0, 60)}"`);
});

t.test('ingest – unknown meters, mismatched gateways and implausible instants are kept apart', async (t) => {
  const {
    collector,
    clients: [gw],
  } = await seededCollector(t, ['gw-a']);
  await gw.subscribeAsync(topicFor('gw-a', 'ack'), { qos: 1 });
  const rows = readings(1n, 4, T0);
  rows[1]!.meter = 'm9';
  rows[2]!.t = Date.now() + 3_600_000;
  rows[3]!.t = Date.now() - 500 * 86_400_000;
  const acked = nextMessage(gw, topicFor('gw-a', 'ack'), (p) => ackCovers(p, 1n, 4n));
  await gw.publishAsync(topicFor('gw-a', 'data'), batchPayload('gw-a', rows), { qos: 1 });
  await acked;
  t.pass('quarantined and flagged readings are acked with the stored ones');
  t.equal(await collector.store.readingCount(), 3, 'the unknown meter is not stored');
  const [entry] = await collector.store.quarantine(10);
  t.match(entry!.reason, /m9/, 'the quarantine names the unknown meter');
  const m1 = await collector.store.readings('gw-a', 'm1', 0, Date.now() + 86_400_000, 10);
  t.same(m1.map((r) => r.flags).sort(), [0, READING_FLAGS.future]);
  const m2 = await collector.store.readings('gw-a', 'm2', 0, Date.now() + 86_400_000, 10);
  t.same(m2.map((r) => r.flags), [READING_FLAGS.tooOld]);

  await gw.publishAsync(topicFor('gw-a', 'data'), batchPayload('gw-b', readings(10n, 2, T0)), { qos: 1 });
  await eventually(async () => (await collector.store.quarantineCount()) === 2, 'mismatched gateway quarantined');
  t.match((await collector.store.quarantine(1))[0]!.reason, /gw-b/);
});

t.test('ingest – gateway state, Last Will, health with clock offset and gap markers are recorded', async (t) => {
  const { collector } = await seededCollector(t);
  const will = { topic: topicFor('gw-a', 'state'), payload: encodePayload({ v: 1, online: false }), qos: 1 as const, retain: true };
  const gw = await connectGateway(collector.mqttUrl, 'gw-a', undefined, { will });
  await gw.publishAsync(topicFor('gw-a', 'state'), encodePayload({ v: 1, online: true }), { qos: 1, retain: true });
  const health = {
    v: 1, t: Date.now() + 2_000, uptimeS: 5, versions: { agent: '0.1.0', protocol: 1, node: process.version }, configVersion: null,
    meters: [], queueOverruns: 0, outbox: { depth: 0, bytes: 0, oldestT: null, dropped: 0, lastSeq: null },
    clockOffsetMs: null, rssBytes: 1, diskFreeBytes: null,
  };
  await gw.publishAsync(topicFor('gw-a', 'health'), encodePayload(health), { qos: 1 });
  const gap = { v: 1, gw: 'gw-a', from: '5', to: '9', count: 5, reason: 'outbox-bytes', t: Date.now() };
  await gw.publishAsync(topicFor('gw-a', 'gap'), encodePayload(gap), { qos: 1 });
  await eventually(async () => (await collector.store.gatewayStatus('gw-a'))?.lastGap !== null, 'gap recorded');
  const status = (await collector.store.gatewayStatus('gw-a'))!;
  t.equal(status.online, true);
  t.ok(status.clockOffsetMs! > 1_000 && status.clockOffsetMs! < 3_000, `clock offset ${status.clockOffsetMs} ms measured`);
  t.equal(status.lastGap!.count, 5);
  gw.stream.destroy(); // dies without DISCONNECT: the broker publishes its Will
  await eventually(async () => (await collector.store.gatewayStatus('gw-a'))?.online === false, 'Will recorded');
  t.pass('offline after the Will');
});

t.test('ingest – a burst far beyond the high-water mark is stored and acked in full (backpressure, no deadlock)', async (t) => {
  const { collector, clients: gateways } = await seededCollector(t, ['gw-a', 'gw-b']);
  const BATCHES = 60;
  const ROWS = 1000;
  await Promise.all(
    gateways.map(async (gw, g) => {
      const id = g === 0 ? 'gw-a' : 'gw-b';
      await gw.subscribeAsync(topicFor(id, 'ack'), { qos: 1 });
      const last = BigInt(BATCHES * ROWS);
      const done = nextMessage(gw, topicFor(id, 'ack'), (p) => ackCovers(p, last, last), 60_000);
      await Promise.all(
        Array.from({ length: BATCHES }, (_, b) =>
          gw.publishAsync(topicFor(id, 'backlog'), batchPayload(id, readings(BigInt(b * ROWS + 1), ROWS, T0 - 86_400_000 + b * ROWS * 7_500)), { qos: 1 }),
        ),
      );
      await done;
    }),
  );
  t.equal(await collector.store.readingCount(), 2 * BATCHES * ROWS);
});
