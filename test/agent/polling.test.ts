// The bus scheduler against the simulator (firmware-sim startBus) over real sockets: silent
// slaves, absent units behind a converter, a meter going quiet, a server going away.
import t from 'tap';
import { startBus, type RunningBus } from '../../firmware-sim/index.js';
import { eventually, startPoller, testBus } from '../helpers/poller-harness.js';

const INTERVAL_S = 1;
const WAIT_MS = 20_000;
/** Requests one poll of a healthy dtsu666 takes (ei; u1..p; pf; f: see polling-blocks.test.ts). */
const DTSU666_REQUESTS = 4;
/** A silent meter's first poll: its first block and 1 retry; later polls of it: 1 try. */
const FIRST_SILENT_REQUESTS = 2;

const second = (t: number) => Math.floor(t / 1000);

async function sim(t: { teardown(fn: () => Promise<void>): void }, kind: 'tcp' | 'rtu-over-tcp', units: number[], extra: { baud?: number } = {}): Promise<RunningBus> {
  const bus = await startBus({ transport: { kind, host: '127.0.0.1', port: 0, ...extra }, meters: units.map((unit) => ({ unit, profile: 'dtsu666', kw: 10 * unit })) });
  t.teardown(() => bus.close());
  return bus;
}

for (const { kind, units, silent, how, baud } of [
  { kind: 'tcp', units: [1, 2, 3, 4], silent: 2, how: 'powered off', baud: undefined },
  // A TCP-to-RTU converter with unit 3 absent: RTU frames pass through, nobody answers for 3.
  // 19200 baud on the converter's serial side keeps a cycle well inside the 1 s interval.
  { kind: 'rtu-over-tcp', units: [1, 2, 3, 4, 5], silent: 3, how: 'absent', baud: 19200 },
  // A Modbus TCP gateway instead: it answers exception 0B (target failed to respond) for 3.
  { kind: 'tcp', units: [1, 2, 3, 4, 5], silent: 3, how: 'absent', baud: undefined },
] as const) {
  t.test(`poller on ${kind} – units ${units.join(', ')} with ${silent} ${how}: the others keep their interval, ${silent} backs off and is reported`, async (t) => {
    const present = units.filter((u) => u !== silent);
    const simBus = await sim(t, kind, how === 'absent' ? present : [...units], baud ? { baud } : {});
    if (how === 'powered off') simBus.meter(silent).setFault({ kind: 'silent' });
    const bus = testBus({ kind, host: '127.0.0.1', port: simBus.port! }, units.map((unit) => ({ unit, profile: 'dtsu666' })), { timeoutMs: 150 });
    const h = await startPoller(t, bus, INTERVAL_S);
    const TICKS = 8;
    await eventually(`${TICKS} readings of every present meter`, () => present.every((u) => h.of(`m${u}`).length >= TICKS), WAIT_MS);
    await h.poller.stop();

    for (const u of present) {
      // No tick missed: as many readings as seconds spanned. (On a loaded machine a late
      // cycle can be stamped in the next tick's second, so exact seconds would be flaky.)
      const seconds = h.of(`m${u}`).map((r) => second(r.t));
      const spanned = seconds.at(-1)! - seconds[0]! + 1;
      t.ok(seconds.length >= spanned && seconds.slice(1).every((s, i) => s >= seconds[i]!), `m${u} read at every tick: ${seconds.join(' ')}`);
      t.ok(h.of(`m${u}`).every((r) => r.quality === undefined && Math.abs(r.values.p! - 10_000 * u) < 1000 * u), `m${u} values are whole and right`);
    }
    t.equal(h.of(`m${silent}`).length, 0, 'no reading at all for the silent unit');
    const stats = h.poller.stats();
    const m = stats.meters.find((s) => s.id === `m${silent}`)!;
    t.equal(m.backoff, true, 'reported as backed off');
    t.equal(m.okRate, 0);
    t.match(m.lastError, /did not answer|target device failed to respond/);
    for (const s of stats.meters.filter((s) => s.id !== `m${silent}`)) t.same([s.okRate, s.backoff, s.lastError], [1, false, null], `${s.id} healthy`);

    // The simulated Modbus TCP gateway answers 0B for an absent unit without counting the request.
    if (!(kind === 'tcp' && how === 'absent')) {
      const healthy = present.reduce((n, u) => n + h.of(`m${u}`).length, 0);
      const silentPolls = simBus.requests - DTSU666_REQUESTS * healthy - (FIRST_SILENT_REQUESTS - 1);
      const ticks = Math.max(...present.map((u) => h.of(`m${u}`).length));
      t.ok(silentPolls >= 2 && silentPolls <= ticks - 3, `unit ${silent} tried ${silentPolls} times in ${ticks} ticks (1, 2, 4 … intervals apart)`);
    }
    t.equal(h.logged('meter not answering: backing off').length, 1, 'one warning when it went silent');
    t.same([h.logged('bus connected').length, h.logged(/connection lost/).length], [1, 0], 'the bus was never reconnected for it');
  });
}

t.test('poller – a meter that goes silent produces no reading with a fresh timestamp, and fresh ones when back', async (t) => {
  const simBus = await sim(t, 'tcp', [1]);
  const h = await startPoller(t, testBus({ kind: 'tcp', host: '127.0.0.1', port: simBus.port! }, [{ unit: 1, profile: 'dtsu666' }]), INTERVAL_S);
  await eventually('2 readings', () => h.readings.length >= 2, WAIT_MS);
  const silentFrom = Date.now();
  simBus.meter(1).setFault({ kind: 'silent' });
  const m1 = () => h.poller.stats().meters[0]!;
  await eventually('the meter backed off', () => m1().backoff, WAIT_MS);
  const backAt = Date.now();
  const during = h.readings.filter((r) => r.t >= silentFrom);
  simBus.meter(1).setFault(null);
  await eventually('a reading after the meter came back', () => h.readings.some((r) => r.t > backAt), WAIT_MS);
  t.same(during, [], 'nothing stamped while it was silent');
  const after = h.readings.filter((r) => r.t > backAt);
  t.ok(after.every((r) => r.values.p !== undefined && r.quality === undefined), 'whole readings again');
  t.equal(new Set(h.readings.map((r) => r.t)).size, h.readings.length, 'no timestamp repeated');
  t.equal(m1().backoff, false);
  t.equal(h.logged('meter answering again').length, 1);
});

t.test('poller – reconnects by itself after the TCP server was away', async (t) => {
  // The case is a 30 s outage. Reconnects back off 0.5, 1, 2, 4 … s up to 30 s
  // (RECONNECT_MAX_MS), so a 30 s outage is bridged at most 30 s after the server returns;
  // a 3-tick outage shows the same mechanism without waiting that long.
  let simBus = await startBus({ transport: { kind: 'tcp', host: '127.0.0.1', port: 0 }, meters: [{ unit: 1, profile: 'dtsu666', kw: 5 }] });
  const port = simBus.port!;
  t.teardown(() => simBus.close());
  const h = await startPoller(t, testBus({ kind: 'tcp', host: '127.0.0.1', port }, [{ unit: 1, profile: 'dtsu666' }]), INTERVAL_S);
  await eventually('2 readings', () => h.readings.length >= 2, WAIT_MS);
  await simBus.close();
  const downAt = Date.now();
  await eventually('the poller to notice', () => !h.poller.stats().connected, WAIT_MS);
  const m1 = () => h.poller.stats().meters[0]!;
  await eventually('3 ticks without the server', () => (m1().lastErrorT ?? 0) >= downAt + 2500 && /bus not connected/.test(m1().lastError ?? ''), WAIT_MS);
  simBus = await startBus({ transport: { kind: 'tcp', host: '127.0.0.1', port }, meters: [{ unit: 1, profile: 'dtsu666', kw: 5 }] });
  const upAt = Date.now();
  await eventually('a reading after the server is back', () => h.readings.some((r) => r.t > upAt), WAIT_MS);
  t.same(h.readings.filter((r) => r.t > downAt && r.t < upAt), [], 'no reading while the server was away');
  t.ok(h.poller.stats().connected);
  t.equal(m1().backoff, false, 'the meter was not blamed for the bus');
  t.equal(h.logged('bus connection lost: reconnecting').length, 1);
  t.equal(h.logged('bus connected').length, 2, 'connected at start and again after the outage');
});
