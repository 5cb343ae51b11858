// The collector as a real process: an ack is never sent for readings that are not durably
// stored (killed between commit and ack, the resend is harmless), and a restart loses
// nothing and needs no manual step.
import t from 'tap';
import { decodePayload, topicFor, type Config } from '../../protocol/index.js';
import { SqliteStore } from '../../collector/store/sqlite/sqlite-store.js';
import { startCollectorChild } from './child.js';
import { ackCovers, batchPayload, connectGateway, nextMessage, readings, seedRegistry, tempDir } from './fixtures.js';

const T0 = Date.now() - 600_000;
const EXIT_AFTER_COMMIT_CODE = 86;


t.test('collector process – killed between commit and ack: no ack was sent, the resend is stored once', async (t) => {
  const { db, cleanup } = tempDir();
  t.teardown(cleanup);
  seedRegistry(db);
  const batch = batchPayload('gw-a', readings(1n, 40, T0));

  const doomed = await startCollectorChild(['--db', db], { TANDEM_TESTHOOK: 'exit-after-commit' });
  t.teardown(() => doomed.stop());
  const gw = await connectGateway(doomed.mqttUrl, 'gw-a');
  await gw.subscribeAsync(topicFor('gw-a', 'ack'), { qos: 1 });
  let acks = 0;
  gw.on('message', (topic) => (acks += topic === topicFor('gw-a', 'ack') ? 1 : 0));
  gw.on('error', () => {});
  await gw.publishAsync(topicFor('gw-a', 'data'), batch, { qos: 1 });
  t.equal(await doomed.exited, EXIT_AFTER_COMMIT_CODE, 'the collector died right after the commit');
  t.equal(acks, 0, 'no ack reached the gateway');
  gw.end(true);

  const revived = await startCollectorChild(['--db', db]);
  t.teardown(() => revived.stop());
  const again = await connectGateway(revived.mqttUrl, 'gw-a');
  t.teardown(() => again.end(true));
  await again.subscribeAsync(topicFor('gw-a', 'ack'), { qos: 1 });
  const acked = nextMessage(again, topicFor('gw-a', 'ack'), (p) => ackCovers(p, 1n, 40n));
  await again.publishAsync(topicFor('gw-a', 'data'), batch, { qos: 1 });
  await acked;
  t.pass('the resend is acked');
  t.equal(await revived.stop(), 0, 'stops cleanly on SIGTERM');
  const store = new SqliteStore(db);
  t.teardown(() => store.close());
  t.equal(store.readingCount(), 40, 'stored exactly once');
});

t.test('collector process – a restart loses nothing: readings, config version and retained config survive', async (t) => {
  const { db, cleanup } = tempDir();
  t.teardown(cleanup);
  seedRegistry(db);
  const first = await startCollectorChild(['--db', db]);
  t.teardown(() => first.stop());
  const gw = await connectGateway(first.mqttUrl, 'gw-a');
  await gw.subscribeAsync([topicFor('gw-a', 'ack'), topicFor('gw-a', 'config')], { qos: 1 });
  const config = nextMessage(gw, topicFor('gw-a', 'config'));
  const acked = nextMessage(gw, topicFor('gw-a', 'ack'), (p) => ackCovers(p, 1n, 100n));
  await gw.publishAsync(topicFor('gw-a', 'data'), batchPayload('gw-a', readings(1n, 100, T0)), { qos: 1 });
  await acked;
  const v1 = decodePayload(await config);
  t.equal(v1.ok && (v1.value as Config).version, 1);
  gw.end(true);
  t.equal(await first.stop(), 0);

  const second = await startCollectorChild(['--db', db]);
  t.teardown(() => second.stop());
  const gw2 = await connectGateway(second.mqttUrl, 'gw-a');
  t.teardown(() => gw2.end(true));
  const retained = nextMessage(gw2, topicFor('gw-a', 'config'));
  await gw2.subscribeAsync(topicFor('gw-a', 'config'), { qos: 1 });
  const again = decodePayload(await retained);
  t.same(again.ok && again.value, v1.ok && v1.value, 'the same configuration version is retained again after the restart');
  t.equal(await second.stop(), 0);
  const store = new SqliteStore(db);
  t.teardown(() => store.close());
  t.equal(store.readingCount(), 100);
  t.equal(store.latestConfig('gw-a')!.version, 1, 'no new version for an unchanged registry');
});
