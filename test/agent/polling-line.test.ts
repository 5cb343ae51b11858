// The scheduler where the line itself is the limit, and where the meter refuses a register:
// the test slave from test/helpers (it can refuse chosen registers and take its time).
import t from 'tap';
import v8 from 'node:v8';
import vm from 'node:vm';
import { decodePoint, getProfile, QUANTITY_NAMES, registerCount } from '../../protocol/index.js';
import { startSerialTestServer, startTcpTestServer, type TestServer } from '../helpers/modbus-test-server.js';
import { eventually, startPoller, testBus } from '../helpers/poller-harness.js';
import { ptySkipReason, startPtyPair } from '../helpers/pty-pair.js';

const WAIT_MS = 30_000;
const SDM630 = getProfile('sdm630');

/** The value the poller must decode for `q` from a slave whose registers hold their own address. */
function selfValue(q: (typeof QUANTITY_NAMES)[number]): number {
  const p = SDM630.points[q]!;
  return decodePoint(p, Array.from({ length: registerCount(p.type) }, (_, i) => p.address + i));
}

/** Heap in use after a full collection, so the figure is the live data, not garbage not yet collected. */
function liveHeap(): number {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

/** Requests whose registers include `register`, sent after `after`. */
const touching = (server: TestServer, register: number, after = 0) => server.requests.filter((r) => r.t > after && r.address <= register && register < r.address + r.count);

t.test('poller – 30 two-register points every 500 ms on a 9600-baud line: queue bounded, overruns counted, memory flat', { skip: ptySkipReason() }, async (t) => {
  // 3 SDM630 meters = 30 float32 points, 6 merged requests a cycle. At 9600 baud each takes
  // ~40-60 ms on the wire, and these meters take 60 ms to answer: ~0.7 s of work every 0.5 s.
  const pair = await startPtyPair();
  const server = await startSerialTestServer(pair.b, { framing: 'rtu', baud: 9600, turnaroundMs: 60, slaves: { 1: {}, 2: {}, 3: {} } });
  t.teardown(async () => (await server.close(), await pair.close()));
  const meters = [1, 2, 3].map((unit) => ({ unit, profile: 'sdm630' }));
  const h = await startPoller(t, testBus({ kind: 'rtu', path: pair.a, baud: 9600 }, meters, { timeoutMs: 1000 }), 0.5);

  let maxDepth = 0;
  const sampler = setInterval(() => (maxDepth = Math.max(maxDepth, h.poller.stats().queueDepth)), 25);
  t.teardown(() => clearInterval(sampler));
  // Warm-up first: the first cycles compile code and fill caches, which is not growth.
  await eventually('warm-up: 21 readings', () => h.readings.length >= 21, WAIT_MS);
  const heapBefore = liveHeap();
  const overrunsBefore = h.poller.stats().queueOverruns;
  await eventually('42 more readings', () => h.readings.length >= 63 && h.readings.length % 3 === 0, WAIT_MS);
  const heapGrowth = liveHeap() - heapBefore;
  const stats = h.poller.stats();

  t.ok(maxDepth <= meters.length, `queue depth never above one cycle (max ${maxDepth})`);
  t.ok(stats.queueOverruns - overrunsBefore >= 5, `overruns counted: ${stats.queueOverruns}`);
  t.equal(h.logged(/poll cycle overran/).length, 1, 'one warning when overrunning began, not one per cycle');
  const counts = ['m1', 'm2', 'm3'].map((m) => h.of(m).length);
  t.ok(Math.max(...counts) - Math.min(...counts) <= 1, `whole cycles: every meter read as often (${counts.join(', ')})`);
  for (const m of ['m1', 'm2', 'm3']) {
    const ts = h.of(m).map((r) => r.t);
    t.ok(ts.length >= 10 && ts.every((x, i) => i === 0 || x > ts[i - 1]!), `${m} keeps being read, stamps rising (${ts.length} readings)`);
    t.ok(h.of(m).every((r) => Object.keys(r.values).length === 10 && r.quality === undefined), `${m} readings are whole`);
  }
  // The test keeps every reading and the slave logs every request (a few hundred bytes each): well under 1 MB.
  t.ok(heapGrowth < 1024 * 1024, `live heap grew ${(heapGrowth / 1024).toFixed(0)} kB over 42 overrun readings`);
});

for (const { what, illegal, expectQuality } of [
  { what: 'a point register', illegal: 0x3e, expectQuality: { pf: 'unsupported' } },
  { what: 'a filled gap register', illegal: 0x38, expectQuality: undefined },
] as const) {
  t.test(`poller – the meter refuses ${what} inside a merged block: the other registers still arrive`, async (t) => {
    // SDM630's p, pf, f, ei are read as one block 0x34..0x49; 0x3E is pf, 0x38 lies in the gap p..pf.
    const server = await startTcpTestServer({ framing: 'tcp', slaves: { 1: { illegal: [illegal] } } });
    t.teardown(() => server.close());
    const h = await startPoller(t, testBus({ kind: 'tcp', host: '127.0.0.1', port: server.port }, [{ unit: 1, profile: 'sdm630' }]), 1);
    await eventually('3 readings', () => h.readings.length >= 3, WAIT_MS);

    const served = QUANTITY_NAMES.filter((q) => !(expectQuality && q in expectQuality));
    for (const r of h.readings) {
      t.same(r.values, Object.fromEntries(served.map((q) => [q, selfValue(q)])), 'every other quantity, decoded');
      t.same(r.quality, expectQuality, expectQuality ? 'the refused one marked unsupported' : 'nothing marked');
    }
    // The second poll starts a whole interval after the first; its first request goes out just before its stamp.
    const secondPoll = h.readings[1]!.t - 100;
    t.ok(touching(server, illegal).length > 0, 'the first poll did ask');
    t.same(touching(server, illegal, secondPoll), [], 'later polls no longer ask for the refused register');
    t.equal(h.poller.stats().meters[0]!.okRate, 1, 'the meter counts as healthy');
    t.equal(h.logged(/register unsupported/).length, expectQuality ? 1 : 0);
  });
}

t.test('poller – an unplugged serial adapter: no readings while it is away, reconnects by itself when it is back', { skip: ptySkipReason() }, async (t) => {
  let pair = await startPtyPair();
  let server = await startSerialTestServer(pair.b, { framing: 'rtu', slaves: { 1: {} } });
  t.teardown(async () => (await server.close(), await pair.close()));
  const h = await startPoller(t, testBus({ kind: 'rtu', path: pair.a, baud: 9600 }, [{ unit: 1, profile: 'sdm630' }]), 1);
  await eventually('2 readings', () => h.readings.length >= 2, WAIT_MS);
  await server.close();
  await pair.close(true); // the device node disappears, as when the USB adapter is pulled
  const goneAt = Date.now();
  await eventually('the poller to notice', () => !h.poller.stats().connected, WAIT_MS);
  await eventually('2 ticks without the adapter', () => (h.poller.stats().meters[0]!.lastErrorT ?? 0) >= goneAt + 1500, WAIT_MS);
  pair = await startPtyPair(pair.dir);
  server = await startSerialTestServer(pair.b, { framing: 'rtu', slaves: { 1: {} } });
  const backAt = Date.now();
  await eventually('a reading after the adapter is back', () => h.readings.some((r) => r.t > backAt), WAIT_MS);
  t.same(h.readings.filter((r) => r.t > goneAt && r.t < backAt), [], 'nothing stamped while it was away');
  t.match(h.logged('bus connection lost: reconnecting')[0]?.err, /closed|EIO|disconnected/i);
  t.equal(h.poller.stats().meters[0]!.backoff, false, 'the meter was not blamed');
});

t.test('poller – readNow and write, the remote commands’ seam', async (t) => {
  const server = await startTcpTestServer({ framing: 'tcp', slaves: { 1: {} } });
  t.teardown(() => server.close());
  const bus = testBus({ kind: 'tcp', host: '127.0.0.1', port: server.port }, [{ unit: 1, profile: 'sdm630' }]);
  const locked = await startPoller(t, bus, 3600);
  const reading = await locked.poller.readNow('m1');
  t.equal(reading.meter, 'm1');
  t.equal(reading.values.p, selfValue('p'));
  t.same(locked.readings.filter((r) => r.t === reading.t), [], 'returned, not passed to onReading');
  await t.rejects(locked.poller.readNow('m9'), { code: 'TANDEM_POLL_UNKNOWN_METER' });
  await t.rejects(locked.poller.write('m1', 100, [1, 2]), { code: 'TANDEM_POLL_WRITES_DISABLED' });
  await locked.poller.stop();
  await t.rejects(locked.poller.readNow('m1'), { code: 'TANDEM_POLL_NOT_CONNECTED' });

  const open = await startPoller(t, bus, 3600, { allowWrites: true });
  await open.poller.write('m1', 100, [0x1234, 0x5678]);
  t.same([...server.written.get(1)!.entries()], [[100, 0x1234], [101, 0x5678]], 'written with FC 16');
});
