// Gap markers end to end: the collector records a gateway's gap once, however often it is
// resent, and acks its range each time; with the real agent uplink, a gap made by the
// outbox's age limit leaves the outbox once the real collector acks it.
import t, { type Test } from 'tap';
import Database from 'better-sqlite3';
import { encodePayload, topicFor } from '../../protocol/index.js';
import { openSqliteOutbox } from '../../agent/outbox/sqlite-outbox.js';
import { createUplink } from '../../agent/uplink/uplink.js';
import { createLogger } from '../../lib/logger.js';
import { testAgentConfig } from '../agent/uplink-helpers.js';
import { ackCovers, connectGateway, eventually, nextMessage, PASSWORD, readings, seedRegistry, startTestCollector, tempDir } from './fixtures.js';

const DAY_MS = 86_400_000;
/** The outbox re-checks its limits after this many appended rows (agent/outbox/limits.ts). */
const LIMIT_CHECK_ROWS = 1000;

async function collectorOnTempDb(t: Test) {
  const temp = tempDir();
  seedRegistry(temp.db);
  const collector = await startTestCollector(temp.db);
  t.teardown(async () => {
    await collector.stop();
    temp.cleanup();
  });
  const gapRows = () => {
    const db = new Database(temp.db, { readonly: true });
    try {
      return db.prepare("SELECT COUNT(*) FROM gaps WHERE gateway_id = 'gw-a'").pluck().get() as number;
    } finally {
      db.close();
    }
  };
  return { collector, gapRows };
}

t.test('gap markers – recorded once, acked every time the gateway sends one', async (t) => {
  const { collector, gapRows } = await collectorOnTempDb(t);
  const gw = await connectGateway(collector.mqttUrl, 'gw-a');
  t.teardown(() => gw.end(true));
  await gw.subscribeAsync(topicFor('gw-a', 'ack'), { qos: 1 });
  const gap = encodePayload({ v: 1, gw: 'gw-a', from: '5', to: '9', count: 5, reason: 'outbox-bytes', t: Date.now() });
  for (const attempt of ['first', 'resent']) {
    const acked = nextMessage(gw, topicFor('gw-a', 'ack'), (payload) => ackCovers(payload, 5n, 9n));
    await gw.publishAsync(topicFor('gw-a', 'gap'), gap, { qos: 1 });
    await acked;
    t.pass(`${attempt} gap acked for 5..9`);
  }
  t.equal(gapRows(), 1, 'the resent gap is recorded once');
  t.equal((await collector.store.gatewayStatus('gw-a'))!.lastGap!.count, 5);
});

t.test('gap markers – a gap from the agent outbox age limit is acked by the collector and leaves the outbox', async (t) => {
  const { collector, gapRows } = await collectorOnTempDb(t);
  const config = testAgentConfig(collector.mqttUrl, 'gw-a');
  config.mqtt = { url: collector.mqttUrl, username: 'gw-a', password: PASSWORD };
  const outbox = openSqliteOutbox({ ...config.outbox, maxAgeDays: 1 });
  // Two days old, and enough rows for a limit check: dropped as one outbox-age gap.
  const old = readings(1n, LIMIT_CHECK_ROWS, Date.now() - 2 * DAY_MS);
  outbox.append(old.map(({ meter, t, values }) => ({ meter, t, values })));
  const fresh = readings(BigInt(LIMIT_CHECK_ROWS + 1), 10, Date.now() - 60_000);
  outbox.append(fresh.map(({ meter, t, values }) => ({ meter, t, values })));
  t.equal(outbox.gaps().length, 1, 'the outbox holds one gap');
  t.equal(outbox.gaps()[0]!.reason, 'outbox-age');

  const uplink = createUplink({
    config, outbox, logger: createLogger('agent', 'silent'), agentVersion: 'test', configVersion: () => null,
    handlers: { config() {}, command() {}, commandRefused() {} },
  });
  t.teardown(async () => {
    await uplink.stop();
    outbox.close();
  });
  await eventually(() => outbox.gaps().length === 0 && outbox.stats().depth === 0, 'the gap and the readings acked', 20_000);
  t.equal(gapRows(), 1, 'the collector recorded the gap');
  t.match((await collector.store.gatewayStatus('gw-a'))!.lastGap, { from: '1', to: String(LIMIT_CHECK_ROWS), count: LIMIT_CHECK_ROWS, reason: 'outbox-age' });
  t.equal(await collector.store.readingCount(), 10, 'the fresh readings are stored');
});
