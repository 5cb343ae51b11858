// The collector as a client of a private Mosquitto process (its own free port, persistence
// on, so restarting it disturbs no one): after the broker restarts, the collector says it
// is online again — the broker published its Will (online:false, retained) meanwhile, and
// agents drain their backlogs only while the collector state says online.
import t from 'tap';
import mqtt from 'mqtt';
import { COLLECTOR_STATE_TOPIC, decodePayload, type State } from '../../protocol/index.js';
import { mosquittoBroker } from '../helpers/test-brokers.js';
import { eventually, startTestCollector, tempDir } from './fixtures.js';

/** The retained collector state a new subscriber gets, or null when none arrives within `timeoutMs`. */
async function retainedState(url: string, timeoutMs = 2_000): Promise<State | null> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, clean: true, reconnectPeriod: 0 }).catch(() => null);
  if (!client) return null;
  try {
    const first = new Promise<State | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), timeoutMs);
      client.once('message', (_topic, payload) => {
        clearTimeout(timer);
        const decoded = decodePayload(payload);
        resolve(decoded.ok ? (decoded.value as State) : null);
      });
    });
    await client.subscribeAsync(COLLECTOR_STATE_TOPIC, { qos: 1 });
    return await first;
  } finally {
    await client.endAsync(true);
  }
}

const mosquitto = await mosquittoBroker();
t.test('external broker – after the broker restarts, the collector publishes online:true (retained) again', mosquitto ? {} : { skip: 'no mosquitto binary installed' }, async (t) => {
  if (!mosquitto) return;
  const { db, cleanup } = tempDir();
  const collector = await startTestCollector(db, { broker: mosquitto.url, brokerClientId: `collector-state-${process.pid}` });
  t.teardown(async () => {
    await collector.stop();
    await mosquitto.close();
    cleanup();
  });
  await eventually(async () => (await retainedState(mosquitto.url))?.online === true, 'online:true after start');

  await mosquitto.stop(); // the collector's connection drops: Mosquitto publishes its Will
  await mosquitto.start();
  await eventually(async () => (await retainedState(mosquitto.url))?.online === true, 'online:true after reconnecting', 15_000);
  t.pass('online:true is retained again once the collector has reconnected');
});
