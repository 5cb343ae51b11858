import t, { type Test } from 'tap';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import YAML from 'yaml';
import { loadSite, Plant, RUNNING_FRACTION } from '../../firmware-sim/index.js';
import { runTandem } from '../helpers/cli.js';
import { tempDir } from './helpers.js';

const SITES = ['cement-plant', 'steel-rolling', 'furniture-spray'].map((s) => `firmware-sim/sites/${s}.yaml`);

const minimal = () => ({
  id: 'ent-1',
  name: 'Test works',
  gateway: { id: 'gw-1', buses: [{ id: 'b1', kind: 'tcp', host: '127.0.0.1', port: 1502 }] },
  facilities: [
    { id: 'line', name: 'Line', kind: 'production' },
    { id: 'fan', name: 'Fan', kind: 'treatment', serves: ['line'] },
  ],
  meters: [
    { id: 'm1', facility: 'line', bus: 'b1', unit: 1, profile: 'dtsu666' },
    { id: 'm2', facility: 'fan', bus: 'b1', unit: 2, profile: 'sdm630' },
  ],
  sim: { scenarios: [] as unknown[] },
});

function write(t: Test, site: unknown, ext = 'yaml'): string {
  const file = path.join(tempDir(t), `site.${ext}`);
  writeFileSync(file, ext === 'json' ? JSON.stringify(site) : YAML.stringify(site));
  return file;
}

t.test('site files – the example sites load and differ in profiles, transports and scale', async (t) => {
  const sites = SITES.map(loadSite);
  const kinds = new Set(sites.flatMap((s) => s.buses.map((b) => b.kind)));
  t.same([...kinds].sort(), ['rtu', 'rtu-over-tcp', 'tcp'], 'all three transports');
  t.ok(new Set(sites.flatMap((s) => s.meters.map((m) => m.profile))).size >= 5, 'most profiles');
  const rated = sites.map((s) => Math.max(...Object.values(s.sim.facilities).map((f) => f.ratedKw)));
  t.ok(Math.max(...rated) / Math.min(...rated) > 20, `scales from ${Math.min(...rated)} to ${Math.max(...rated)} kW`);
});

t.test('site files – JSON works as well as YAML, with defaults filled in', async (t) => {
  const site = loadSite(write(t, minimal(), 'json'));
  t.equal(site.sim.facilities.fan.leadMin, 3);
  t.equal(site.sim.utcOffsetMin, 0);
  t.ok(site.sim.energyKwh.m1 >= 0);
});

t.test('site files – errors name the file and every wrong field', async (t) => {
  const site = minimal() as ReturnType<typeof minimal> & Record<string, unknown>;
  site.meters[0].profile = 'nosuch';
  site.meters[1].bus = 'b9';
  site.meters.push({ id: 'm3', facility: 'ghost', bus: 'b1', unit: 1, profile: 'sdm630' });
  (site.facilities[1] as { serves: string[] }).serves = ['fan'];
  site.sim = {
    utcOffset: '8h',
    facilities: { line: { ratedKw: -1 } },
    scenarios: [{ kind: 'treatment-off', facility: 'line', day: 1, at: '25:00', minutes: 10 }, { kind: 'melt', meter: 'm1' }],
  } as never;
  const file = write(t, site);
  const error = (() => {
    try {
      loadSite(file);
    } catch (e) {
      return e as Error & { code: string };
    }
  })();
  t.equal(error?.code, 'TANDEM_SIM_SITE');
  const expected = [
    "meters[0].profile: unknown profile 'nosuch'",
    "meters[1].bus: 'b9' is not one of gateway.buses",
    "meters[2].facility: 'ghost' is not a facility",
    'meters[2].unit: unit 1 is already used on bus',
    "facilities[1].serves[0]: 'fan' is not a production facility",
    'sim.utcOffset: "8h" is not an offset',
    'sim.facilities.line.ratedKw: -1 is not a number from 0',
    "sim.scenarios[0].facility: treatment-off needs a treatment facility of this site, got 'line'",
    'sim.scenarios[0].at: \'25:00\' is not a local time',
    "sim.scenarios[1].kind: 'melt' is not one of",
  ];
  for (const line of expected) t.ok(error?.message.includes(`${file}: ${line}`), line);
});

t.test('site files – the registry part is checked against the shared Enterprise schema', async (t) => {
  const site = minimal() as Record<string, unknown>;
  delete site.facilities;
  t.throws(() => loadSite(write(t, site)), { code: 'TANDEM_SIM_SITE', message: /facilities/ });
  t.throws(() => loadSite('/nonexistent/site.yaml'), { code: 'TANDEM_SIM_SITE', message: /\/nonexistent\/site.yaml: cannot read/ });
});

t.test('plant – treatment starts before its production and stops after it', async (t) => {
  const site = loadSite(SITES[2]);
  const plant = new Plant(site);
  const { leadMin, lagMin } = site.sim.facilities['carbon-unit'];
  const MIN = 60_000;
  const start = Date.UTC(2026, 10, 2);
  let checked = 0;
  for (let x = start; x < start + 7 * 86_400_000; x += MIN) {
    const running = (y: number) => plant.productionRunning('booth-1', y) || plant.productionRunning('booth-2', y);
    // A start after a stop long enough for the treatment to have stopped too.
    const quiet = Array.from({ length: leadMin + lagMin + 2 }, (_, k) => x - (k + 1) * MIN).every((y) => !running(y));
    if (quiet && running(x)) {
      t.ok(plant.treatmentOn('carbon-unit', x - leadMin * MIN), 'on leadMin before production starts');
      t.notOk(plant.treatmentOn('carbon-unit', x - (leadMin + 1) * MIN), 'and not a minute earlier');
      checked++;
    }
    if (running(x - MIN) && !running(x)) t.ok(plant.treatmentOn('carbon-unit', x - MIN + lagMin * MIN), 'still on lagMin after it stops');
  }
  t.ok(checked > 3, `${checked} production starts checked`);
  t.ok(RUNNING_FRACTION > 0);
});

t.test('tandem sim site – clear errors for a bad site file, a busy port, a serial path that cannot be opened', async (t) => {
  const bad = minimal();
  bad.meters[0].profile = 'nosuch';
  const badFile = write(t, bad);
  const r1 = await runTandem(['sim', 'site', '--site', badFile]);
  t.equal(r1.code, 1);
  t.match(r1.stderr, `TANDEM_SIM_SITE: ${badFile}: meters[0].profile: unknown profile 'nosuch'`);

  const holder = net.createServer().listen(0, '127.0.0.1');
  t.teardown(() => holder.close());
  await new Promise((r) => holder.once('listening', r));
  const busy = minimal();
  busy.gateway.buses[0].port = (holder.address() as net.AddressInfo).port;
  const r2 = await runTandem(['sim', 'site', '--site', write(t, busy)]);
  t.equal(r2.code, 1);
  t.match(r2.stderr, /TANDEM_SIM_LISTEN: cannot listen on 127\.0\.0\.1:\d+: the port is already in use/);

  const r3 = await runTandem(['sim', 'site', '--site', SITES[1], '--serial', 'rs485-1=/nonexistent/tty']);
  t.equal(r3.code, 1);
  t.match(r3.stderr, /TANDEM_SIM_SERIAL: cannot open serial device \/nonexistent\/tty/);
  const r4 = await runTandem(['sim', 'site', '--site', SITES[1], '--serial', 'nobus=/dev/null']);
  t.equal(r4.code, 2);
  t.match(r4.stderr, /--serial must be BUS=PATH for a serial bus of the site/);
});
