// Remote configuration end to end: the agent as a real process, meters from the simulator
// over TCP, a stand-in collector pushing retained configs, on the embedded aedes and on a
// Mosquitto process (its own port, so it can be restarted without disturbing the shared one).
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { startBus } from '../../firmware-sim/index.js';
import type { Bus, Config } from '../../protocol/index.js';
import { remoteConfigPath } from '../../agent/config/load.js';
import { inspectOutbox } from '../../agent/outbox/inspect.js';
import { TEST_BROKERS, absentReason, needsRestart } from '../helpers/test-brokers.js';
import { startStandInCollector } from '../helpers/stand-in-collector.js';
import { spawnAgent, writeAgentConfig } from '../helpers/agent-process.js';
import { testGatewayId } from './uplink-helpers.js';

const sim = await startBus({ transport: { kind: 'tcp', host: '127.0.0.1', port: 0 }, meters: [1, 2, 3].map((unit) => ({ unit, profile: 'dtsu666', kw: 5 * unit })) });
t.teardown(() => sim.close());
const simBus = (units: number[]): Bus => ({ kind: 'tcp', id: 'b1', host: '127.0.0.1', port: sim.port!, meters: units.map((u) => ({ id: `m${u}`, unit: u, profile: 'dtsu666' })) });
const config = (version: number, buses: Bus[]): Config => ({ v: 1, version, poll: { pollIntervalS: 1, buses } });
const count = (log: string, msg: string) => log.split('\n').filter((line) => line.includes(`"msg":"${msg}"`)).length;


for (const [name, makeBroker] of TEST_BROKERS) {
  const broker = await makeBroker();
  t.test(`remote config on ${name}`, broker ? {} : { skip: absentReason(name) }, async (t) => {
    if (!broker) return;
    const gw = testGatewayId('rc');
    const collector = await startStandInCollector(broker.url, gw);
    const files = writeAgentConfig({ gatewayId: gw, mqttUrl: broker.url, buses: [simBus([1, 2, 3])] });
    const agent = spawnAgent(files.configFile);
    t.teardown(async () => {
      agent.child.kill('SIGKILL');
      await collector.stop();
      await broker.close();
    });
    const ackFor = (version: number) => collector.configAcks.filter((a) => a.version === version);
    const readOf = (meter: string, after: number) => [...collector.readings.values()].some((r) => r.meter === meter && r.t > after);
    await collector.waitFor('readings of m3', () => readOf('m3', 0));

    t.test('remote config – a push naming a serial port that does not exist is rolled back; the old config keeps polling; the ack says why', async (t) => {
      await collector.publishConfig(config(1, [simBus([1, 2, 3])]));
      await collector.waitFor('ack of version 1', () => ackFor(1).length > 0);
      t.match(ackFor(1)[0], { status: 'unchanged', running: 1 }, 'same content as the local file: nothing to do');

      const missing = '/dev/ttyTANDEM-missing';
      const bad: Bus = { kind: 'rtu', id: 'rs485', path: missing, baud: 9600, meters: [{ id: 'm9', unit: 9, profile: 'dtsu666' }] };
      await collector.publishConfig(config(2, [simBus([1, 2, 3]), bad]));
      await collector.waitFor('ack of version 2', () => ackFor(2).length > 0);
      const ack = ackFor(2)[0]!;
      t.match(ack, { status: 'rolled-back', running: 1 });
      t.match(ack.errors.join('\n'), new RegExp(`bus 'rs485' \\(serial ${missing}.*could not connect`), `the ack says why: ${ack.errors}`);
      const after = Date.now();
      await collector.waitFor('m1 polled after the rollback', () => readOf('m1', after));

      await collector.publishConfig({ v: 1, version: 3, poll: { pollIntervalS: 1, buses: [{ ...simBus([1]), port: 'x' }] } } as unknown as Config);
      await collector.waitFor('ack of version 3', () => ackFor(3).length > 0);
      t.match(ackFor(3)[0], { status: 'rejected', running: 1 });
      t.match(ackFor(3)[0]!.errors.join('\n'), /poll\.buses\[0\]\.port/, 'the rejection names the field');
    });

    t.test('remote config – an applied change polls the new set and is kept as the last good config', async (t) => {
      await collector.publishConfig(config(4, [simBus([1, 2])]));
      await collector.waitFor('ack of version 4', () => ackFor(4).length > 0);
      t.match(ackFor(4)[0], { status: 'applied', running: 4, errors: [] });
      const lastGood = remoteConfigPath(files.configFile);
      t.ok(existsSync(lastGood), 'last good config written beside the local file');
      t.equal((JSON.parse(readFileSync(lastGood, 'utf8')) as Config).version, 4);
      const after = Date.now() + 1500; // a poll already under way may still read m3
      await collector.waitFor('m2 polled under version 4', () => readOf('m2', after));
      t.notOk(readOf('m3', after), 'm3 is no longer polled');
    });

    t.test('remote commands – read now, scan, log level, republish state; writes refused while the local file does not allow them', async (t) => {
      const command = async (name: string, args: Record<string, unknown>) => {
        const id = `c${Math.random().toString(36).slice(2)}`;
        await collector.publish('command', { v: 1, id, name, args, t: Date.now() });
        await collector.waitFor(`the reply to ${name}`, () => collector.replies.some((r) => r.id === id));
        return collector.replies.find((r) => r.id === id)!;
      };
      const read = await command('read', { meter: 'm2' });
      t.match(read, { ok: true, result: { meter: 'm2', values: { u1: Number } } }, 'a fresh reading of m2');
      t.match(await command('read', { meter: 'nope' }), { ok: false, error: /no bus of the running config has meter 'nope'/ });
      const scan = await command('scan', { bus: 'b1', units: '1-4' });
      t.match(scan, { ok: true, result: { bus: 'b1', found: [{ unit: 1, profile: 'dtsu666' }, { unit: 2 }, { unit: 3 }] } });
      t.equal((scan.result as { found: unknown[] }).found.length, 3, 'units 1-3 answer, 4 does not');
      const after = Date.now();
      await collector.waitFor('m1 polled again after the scan', () => readOf('m1', after));
      t.match(await command('set-log-level', { level: 'debug' }), { ok: true, result: { level: 'debug' } });
      await collector.waitFor("the bus scheduler's debug lines", () => /"bus":"b1".*"msg":"reading"/.test(agent.log()));
      t.pass('the new level reaches the bus schedulers too');
      t.match(await command('set-log-level', { level: 'loud' }), { ok: false, error: /args\.level must be one of/ });
      t.match(await command('set-log-level', { level: 'info' }), { ok: true });
      t.match(await command('republish-state', {}), { ok: true });
      t.match(await command('reboot', {}), { ok: false, error: /malformed command: name: / }, 'an unknown command is refused with the reason');
      t.match(await command('write', { meter: 'm1', address: 0, values: [1] }), { ok: false, error: /allowWrites: true in .*agent\.yaml/ });
    });

    t.test('remote config – broker restarted 10 times with the same retained config: no re-apply, no outbox reset, nothing lost', needsRestart(broker), async (t) => {
      const applies = count(agent.log(), 'applying remote config');
      const busConnects = count(agent.log(), 'bus connected');
      const acksBefore = collector.configAcks.length;
      for (let i = 0; i < 10; i++) {
        await broker.stop();
        await broker.start();
        await collector.waitFor(`the agent back after restart ${i + 1}`, () => collector.configAcks.length > acksBefore + i);
      }
      const acks = collector.configAcks.slice(acksBefore);
      t.ok(acks.every((a) => a.status === 'unchanged' && a.running === 4), `all ${acks.length} acks since say unchanged, running 4`);
      t.equal(count(agent.log(), 'applying remote config'), applies, 'the config was not applied again');
      t.equal(count(agent.log(), 'bus connected'), busConnects, 'the Modbus bus was not reconnected');
      const lastSeq = BigInt(inspectOutbox(files.outbox).lastSeq!);
      await collector.waitFor(`every seq up to ${lastSeq} stored`, () => {
        for (let seq = 1n; seq <= lastSeq; seq++) if (!collector.readings.has(seq)) return false;
        return true;
      });
      t.pass(`seqs 1..${lastSeq} all stored: the outbox kept its numbering and lost nothing`);
      t.same(collector.malformed, []);
    });
  });
}
