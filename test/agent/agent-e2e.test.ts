// The whole path with real pieces: simulated meters over Modbus TCP → the agent as a real
// process (enrolled with `tandem agent enroll`) → MQTT → the real collector (startCollector)
// and its SQLite store. Once on the collector's embedded broker (aedes), once with the
// collector as a client of a Mosquitto process on its own port (so it can be stopped
// without disturbing the shared one on 1883, and no other test's collector shares its
// retained collector state).
import t from 'tap';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { startBus } from '../../firmware-sim/index.js';
import { startCollector, type RunningCollector } from '../../collector/index.js';
import { createEnrolToken } from '../../collector/registry/enrolment.js';
import { createLogger } from '../../lib/logger.js';
import type { Enterprise } from '../../protocol/index.js';
import { inspectOutbox } from '../../agent/outbox/inspect.js';
import { runTandem } from '../helpers/cli.js';
import { spawnAgent, type AgentProcess } from '../helpers/agent-process.js';
import { freePort, mosquittoBroker, type TestBroker } from '../helpers/test-brokers.js';

const METERS = [1, 2, 3, 4];
const KILLS = 20;
/** 1 s polls stand for 15 s ones; the outage is 20 polls (the uplink test does 45 min's 180). */
const OUTAGE_POLLS = 20;

const sim = await startBus({ transport: { kind: 'tcp', host: '127.0.0.1', port: 0 }, meters: METERS.map((unit) => ({ unit, profile: 'dtsu666', kw: 3 * unit })) });
t.teardown(() => sim.close());

function enterprise(gatewayId: string): Enterprise {
  return {
    id: `e-${gatewayId}`,
    name: 'Test works',
    gateway: { id: gatewayId, pollIntervalS: 1, buses: [{ id: 'b1', kind: 'tcp', host: '127.0.0.1', port: sim.port! }] },
    facilities: [{ id: `${gatewayId}-kiln`, name: 'Kiln', kind: 'production' }],
    meters: METERS.map((unit) => ({ id: `m${unit}`, facility: `${gatewayId}-kiln`, bus: 'b1', unit, profile: 'dtsu666' })),
  };
}

const until = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** Every stored reading of the gateway, by meter. */
async function stored(collector: RunningCollector, gw: string) {
  const all = [];
  for (const unit of METERS) all.push(...(await collector.store.readings(gw, `m${unit}`, 0, Date.now() + 60_000, 1_000_000)));
  return all;
}

/** Whether every seq from 1 to the outbox's last one is stored. */
async function allStored(collector: RunningCollector, gw: string, outbox: string): Promise<boolean> {
  const last = Number(inspectOutbox(outbox).lastSeq ?? 0);
  const seqs = new Set((await stored(collector, gw)).map((r) => Number(r.seq)));
  for (let seq = 1; seq <= last; seq++) if (!seqs.has(seq)) return false;
  return last > 0;
}

const variants: [string, () => Promise<TestBroker | null>][] = [
  ['embedded broker', async () => null],
  ['Mosquitto', mosquittoBroker],
];

for (const [name, makeBroker] of variants) {
  const mosquitto = name === 'Mosquitto' ? await makeBroker() : null;
  const skip = name === 'Mosquitto' && !mosquitto ? { skip: 'no mosquitto binary installed' } : {};
  t.test(`agent e2e with the collector on the ${name}`, skip, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-e2e-'));
    const gw = `e2e-${name === 'Mosquitto' ? 'mq' : 'emb'}-${process.pid}`;
    const mqttPort = await freePort();
    const collectorOptions = {
      db: join(dir, 'collector.db'), host: '127.0.0.1', mqttPort, httpPort: 0, log: createLogger('collector', 'silent'),
      ...(mosquitto ? { broker: mosquitto.url, brokerClientId: `collector-${gw}` } : {}),
    };
    let collector = await startCollector(collectorOptions);
    await collector.store.importEnterprise(enterprise(gw), Date.now());
    const configFile = join(dir, 'agent.yaml');
    const outbox = join(dir, 'outbox.db');
    let agent: AgentProcess | undefined;
    t.teardown(async () => {
      agent?.child.kill('SIGKILL');
      await collector.stop();
      await mosquitto?.close();
    });

    t.test('agent e2e – enrolled, it takes the retained config, polls, and the collector stores its readings', async (t) => {
      const { token } = await createEnrolToken(collector.store, gw, Date.now());
      const enrolled = await runTandem(['agent', 'enroll', '--collector', collector.httpUrl, '--token', token, '--out', configFile, '--outbox', outbox]);
      t.equal(enrolled.code, 0, enrolled.stderr);
      t.equal(statSync(configFile).mode & 0o777, 0o600, 'the config with the password is readable by its owner only');
      const doc = parseDocument(readFileSync(configFile, 'utf8'));
      doc.set('uplink', { ackTimeoutS: 3, healthIntervalS: 1, configCheckS: 5 });
      writeFileSync(configFile, doc.toString());
      agent = spawnAgent(configFile);
      await until('the config ack', async () => (await collector.store.gatewayStatus(gw))?.ack?.status === 'applied');
      await until('readings of every meter', async () => new Set((await stored(collector, gw)).map((r) => r.meter)).size === METERS.length);
      await until('a health report with every meter read', async () => {
        const meters = (await collector.store.gatewayStatus(gw))?.health?.meters ?? [];
        return meters.length === METERS.length && meters.every((m) => m.lastOkT !== null);
      });
      const status = await runTandem(['agent', 'status', '--config', configFile]);
      t.equal(status.code, 0, status.stderr);
      t.match(status.stdout, /Agent +running, pid \d+/);
      t.match(status.stdout, /Uplink +connected/);
      t.match(status.stdout, /Meter +m1: last read \d+ s ago; 100 % ok/);
      t.comment(status.stdout);
      const json = JSON.parse((await runTandem(['agent', 'status', '--config', configFile, '--json'])).stdout) as { gatewayId: string; status: { health: { meters: unknown[] } } };
      t.equal(json.gatewayId, gw, '--json: one object for scripts');
      t.equal(json.status.health.meters.length, METERS.length);
    });

    t.test(`agent e2e – killed with SIGKILL ${KILLS} times while polling and publishing: no gap, no duplicate in the store`, async (t) => {
      for (let kill = 0; kill < KILLS; kill++) {
        if (!agent) agent = spawnAgent(configFile);
        await new Promise((resolve) => setTimeout(resolve, 500 + Math.random() * 2500)); // a random moment, on purpose
        agent.child.kill('SIGKILL');
        await agent.exited;
        agent = undefined;
      }
      agent = spawnAgent(configFile);
      await until('every committed reading stored', () => allStored(collector, gw, outbox), 60_000);
      const rows = await stored(collector, gw);
      const last = Number(inspectOutbox(outbox).lastSeq);
      const seqs = rows.map((r) => Number(r.seq)).filter((seq) => seq <= last);
      t.equal(new Set(seqs).size, seqs.length, 'each seq stored once');
      t.equal(seqs.length, last, `seqs 1..${last} all stored`);
      const instants = rows.map((r) => `${r.meter}@${r.t}`);
      t.equal(new Set(instants).size, instants.length, 'no reading stored twice under two seqs');
    });

    // Mosquitto publishes the collector's Last Will (online:false, retained) when it shuts down;
    // the collector says online:true again once it has reconnected, and only then does the
    // agent drain its backlog (collector/broker/external.ts).
    t.test(`agent e2e – broker down for ${OUTAGE_POLLS} polls: polling never paused, afterwards every reading stored once with its time`, async (t) => {
      const from = Date.now();
      if (mosquitto) await mosquitto.stop();
      else await collector.stop();
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_POLLS * 1000)); // the outage itself
      if (mosquitto) await mosquitto.start();
      else collector = await startCollector(collectorOptions);
      await until('the outage backlog stored', () => allStored(collector, gw, outbox), 60_000);
      const to = Date.now();
      for (const unit of METERS) {
        const times = (await collector.store.readings(gw, `m${unit}`, from, to, 100_000)).map((r) => r.t).sort((a, b) => a - b);
        const missed = times.slice(1).reduce((n, time, i) => n + Math.round((time - times[i]!) / 1000) - 1, 0);
        t.ok(missed <= 1, `m${unit}: ${times.length} polls over ${((to - from) / 1000).toFixed(0)} s, ${missed} tick(s) missed`);
        t.ok(times.every((time) => time % 1000 < 500), `m${unit}: stamped at the wall-clock second it was read`);
      }
      agent!.child.kill('SIGTERM');
      t.equal(await agent!.exited, 0, 'SIGTERM: a clean exit');
      agent = undefined;
      await until('the offline state', async () => (await collector.store.gatewayStatus(gw))?.online === false, 10_000);
    });
  });
}
