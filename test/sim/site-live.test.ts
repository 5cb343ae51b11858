import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodePoint, getProfile, registerCount } from '../../protocol/index.js';
import { loadSite, Plant, runSite, type RunningSite, type Site } from '../../firmware-sim/index.js';
import { hasCommand, mbpoll, ptyPair, readTcp, startSim, tempDir } from './helpers.js';

const MIN = 60_000;
const CEMENT = 'firmware-sim/sites/cement-plant.yaml';
const SEARCH_FROM = Date.UTC(2026, 10, 2);
const site = loadSite(CEMENT);
const probe = new Plant(site);

/** The first minute from SEARCH_FROM where `test` holds. */
function find(test: (x: number) => boolean): number {
  for (let x = SEARCH_FROM; x < SEARCH_FROM + 28 * 86_400_000; x += MIN) if (test(x)) return x;
  throw new Error('no such minute in four weeks');
}
const kilnRuns = (x: number) => probe.productionShare('kiln', x) > 0.3;
const quiet = (from: number, to: number) => {
  for (let x = from; x < to; x += MIN) if (probe.productionRunning('kiln', x)) return false;
  return true;
};

async function live(t: Test, at: number, extra: Partial<Parameters<typeof runSite>[1]> = {}, s: Site = site) {
  const clock = { t: at };
  const running = await runSite(s, { now: () => clock.t, start: at, freePorts: true, scenarios: false, tickMs: 60_000, ...extra });
  t.teardown(() => running.close());
  /** Power (W) a meter reports over Modbus TCP, decoded with its profile. */
  const power = async (meterId: string) => {
    const m = s.meters.find((x) => x.id === meterId)!;
    const point = getProfile(m.profile).points.p!;
    const port = running.buses.find((b) => b.id === m.bus)!.port!;
    const regs = await readTcp(port, m.unit, point.fc, point.address, registerCount(point.type));
    if (!Array.isArray(regs)) throw new Error(`exception ${regs.exception}`);
    return decodePoint(point, regs, { pt: m.pt, ct: m.ct });
  };
  const go = (x: number) => {
    clock.t = x;
    running.tick();
  };
  return { running, clock, power, go };
}

const baghouseKw = site.sim.facilities['kiln-baghouse'];
const OFF_W = site.facilities.find((f) => f.id === 'kiln-baghouse')!.thresholds!.offBelowW!;
const KILN_RUNNING_W = site.facilities.find((f) => f.id === 'kiln')!.thresholds!.runningAboveW!;

t.test('live site – treatment off while production runs, seen over Modbus, with its label', async (t) => {
  const at = find(kilnRuns);
  const dir = tempDir(t);
  const labelsFile = path.join(dir, 'labels.json');
  const { running, power } = await live(t, at, { labelsFile });
  t.ok((await power('cem-baghouse')) > baghouseKw.ratedKw * 1000 * 0.5, 'baghouse fan runs with the kiln');
  running.inject({ kind: 'treatment-off', facility: 'kiln-baghouse', minutes: 30, id: 'off-now' });
  t.ok((await power('cem-baghouse')) < OFF_W, 'baghouse fan off');
  t.ok((await power('cem-kiln')) > KILN_RUNNING_W, 'kiln still running');
  const truth = JSON.parse(readFileSync(labelsFile, 'utf8'));
  t.match(truth.labels, [{ scenario: 'off-now', kind: 'treatment-off', models: ['treatment-off'], facility: 'kiln-baghouse', from: at }]);
  t.equal(running.clear('off-now'), 1);
  t.ok((await power('cem-baghouse')) > baghouseKw.ratedKw * 1000 * 0.5, 'back on after clear');
});

t.test('live site – late start and early stop of the treatment', async (t) => {
  const start = find((x) => probe.productionRunning('kiln', x) && quiet(x - 30 * MIN, x));
  const a = await live(t, start + 5 * MIN);
  t.ok((await a.power('cem-baghouse')) > OFF_W, 'normally on 5 minutes after the kiln starts');
  a.running.inject({ kind: 'late-start', facility: 'kiln-baghouse', minutes: 120, params: { delayMin: 15 } });
  t.ok((await a.power('cem-baghouse')) < OFF_W, 'late start: still off 5 minutes in');
  a.go(start + 25 * MIN);
  t.ok((await a.power('cem-baghouse')) > OFF_W, 'on 25 minutes in');

  const stop = find((x) => probe.productionRunning('kiln', x - MIN) && quiet(x, x + 40 * MIN) && x > start);
  const b = await live(t, stop - 5 * MIN);
  t.ok((await b.power('cem-baghouse')) > OFF_W, 'normally on 5 minutes before the kiln stops');
  b.running.inject({ kind: 'early-stop', facility: 'kiln-baghouse', minutes: 60, params: { advanceMin: 15 } });
  t.ok((await b.power('cem-baghouse')) < OFF_W, 'early stop: already off');
  t.ok((await b.power('cem-kiln')) > KILN_RUNNING_W, 'while the kiln still runs');
});

t.test('live site – idling, cycling and night production', async (t) => {
  const at = find(kilnRuns);
  const { running, power, go } = await live(t, at);
  const normal = await power('cem-baghouse');
  running.inject({ kind: 'treatment-weak', facility: 'kiln-baghouse', minutes: 30, params: { level: 0.35 }, id: 'weak' });
  t.ok(Math.abs((await power('cem-baghouse')) / normal - 0.35) < 0.01, 'throttled to 35 %');
  running.clear('weak');
  running.inject({ kind: 'cycling', facility: 'kiln-baghouse', minutes: 60, params: { onMin: 6, offMin: 6 } });
  const states: boolean[] = [];
  for (const m of [1, 7, 13, 19]) {
    go(at + m * MIN);
    states.push((await power('cem-baghouse')) > OFF_W);
  }
  t.same(states, [true, false, true, false], 'on 6 min, off 6 min');

  const night = find((x) => probe.isNight(x) && !probe.productionRunning('kiln', x) && new Date(x).getUTCMinutes() === 0);
  const n = await live(t, night);
  t.ok((await n.power('cem-kiln')) < KILN_RUNNING_W, 'kiln normally stopped at night');
  n.running.inject({ kind: 'night-production', facility: 'kiln', minutes: 120 });
  t.ok((await n.power('cem-kiln')) > 0.5 * 900_000, 'kiln runs at night');
  t.ok((await n.power('cem-baghouse')) < OFF_W, 'without its baghouse fan');
});

t.test('live site – stop and limit orders, obeyed or not, come with the order', async (t) => {
  const at = find((x) => probe.productionShare('kiln', x) > 0.5);
  const { running, power } = await live(t, at);
  const normal = await power('cem-kiln');
  running.inject({ kind: 'stop-order', minutes: 60, params: { obey: false }, id: 'stop-breached' });
  t.equal(await power('cem-kiln'), normal, 'a breached stop order changes nothing on the meters');
  t.match(running.truth().orders, [{ id: `${site.id}:stop-breached`, kind: 'stop', obeyed: false }]);
  t.match(running.truth().labels, [{ scenario: 'stop-breached', models: ['order-breach'], orderId: `${site.id}:stop-breached` }]);
  running.clear('all');
  running.inject({ kind: 'stop-order', minutes: 60, params: { obey: true } });
  t.ok((await power('cem-kiln')) < KILN_RUNNING_W, 'an obeyed stop order stops the kiln');
  running.clear('all');
  running.inject({ kind: 'limit-order', minutes: 60, params: { obey: true, limitPct: 30 }, id: 'limit' });
  // The baseline: the kiln's mean running share over the 7 days before the order.
  const allowed = probe.limitShare({ spec: { id: 'limit', params: { limitPct: 30 } }, from: at }, 'kiln');
  t.ok((await power('cem-kiln')) < allowed * 900_000, 'an obeyed 30 % limit keeps the kiln under 70 % of its baseline');
  t.match(running.truth().orders.at(-1), { kind: 'limit', limitPct: 30, obeyed: true });
});

t.test('live site – bad run-time scenarios are refused with the field named', async (t) => {
  const { running } = await live(t, SEARCH_FROM);
  t.throws(() => running.inject({ kind: 'treatment-off', facility: 'kiln' }), { code: 'TANDEM_SIM_SITE', message: /scenario.facility: treatment-off needs a treatment facility/ });
  t.throws(() => running.inject({ kind: 'lost-phase', meter: 'cem-main', params: { phase: 4 } }), { message: /phase must be 1, 2 or 3/ });
});

/** Steps the clock a minute at a time, asking the meter each minute (a poller's view). */
async function energyAfter(t: Test, stateFile: string, from: number, to: number, restartAt?: number, downMin = 0): Promise<number> {
  let s: { running: RunningSite; go: (x: number) => void } = await live(t, from, { stateFile });
  for (let x = from; x < to; x += MIN) {
    if (x === restartAt) {
      await s.running.close();
      s = await live(t, x + downMin * MIN, { stateFile });
      x += downMin * MIN;
    }
    s.go(x);
    s.running.meter('cem-baghouse').values();
  }
  s.go(to);
  return s.running.meter('cem-baghouse').energy;
}

t.test('live site – energy counters carry across a restart, downtime included', async (t) => {
  const at = find(kilnRuns);
  const dir = tempDir(t);
  const straight = await energyAfter(t, path.join(dir, 'a.json'), at, at + 120 * MIN);
  const restarted = await energyAfter(t, path.join(dir, 'b.json'), at, at + 120 * MIN, at + 60 * MIN);
  const down = await energyAfter(t, path.join(dir, 'c.json'), at, at + 120 * MIN, at + 60 * MIN, 20);
  const start = site.sim.energyKwh['cem-baghouse'];
  t.ok(straight - start > 100, `${(straight - start).toFixed(1)} kWh in two hours`);
  t.ok(Math.abs(restarted - straight) < 1e-6, `restart: ${restarted} = ${straight}`);
  t.ok(Math.abs(down - straight) < 1e-6, `20 minutes down: ${down} = ${straight}`);
});

t.test('tandem sim site – serves a site on TCP and a serial pty, takes commands, writes labels', { skip: hasCommand('socat') && hasCommand('mbpoll') ? false : 'needs socat and mbpoll' }, async (t) => {
  const dir = tempDir(t);
  const pty = await ptyPair(dir);
  t.teardown(() => pty.close());
  const labels = path.join(dir, 'labels.json');
  const sim = await startSim(['sim', 'site', '--site', 'firmware-sim/sites/steel-rolling.yaml', '--serial', `rs485-1=${pty.a}`, '--labels', labels, '--no-scenarios']);
  t.teardown(() => sim.stop());
  t.match(sim.url, /^rtu:.*baud=9600/);
  const em24 = getProfile('em24').points.u1!;
  const r = await mbpoll(['-m', 'rtu', '-b', '9600', '-P', 'none', pty.b], 1, 4, em24.address, 2);
  t.ok(r.ok, r.stderr);
  t.ok(Math.abs(decodePoint(em24, r.registers) - 230) < 5, 'furnace meter reads a phase voltage near 230 V');
  t.match(await sim.command('fault rol-mist reversed-ct minutes=5'), /^ok reversed-ct-live-1$/);
  t.match(await sim.command('scenario treatment-off furnace'), /^error: scenario.facility: treatment-off needs a treatment facility/);
  const status = JSON.parse(await sim.command('status'));
  t.match(status, { site: 'hn-rolling-02', active: [{ kind: 'reversed-ct' }] });
  t.equal(await sim.stop(), 0);
  t.match(JSON.parse(readFileSync(labels, 'utf8')).labels, [{ kind: 'reversed-ct', meter: 'rol-mist', models: ['meter-integrity'] }]);
});
