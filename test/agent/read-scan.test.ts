// The technician's `tandem agent read` and `tandem agent scan`, run as the built CLI against
// the simulator over TCP, RTU over TCP and a socat pty.
import { spawn } from 'node:child_process';
import t from 'tap';
import { startBus, type RunningBus } from '../../firmware-sim/index.js';
import { runTandem, TANDEM_BIN } from '../helpers/cli.js';
import { startTcpTestServer } from '../helpers/modbus-test-server.js';
import { ptySkipReason, startPtyPair } from '../helpers/pty-pair.js';

const EXIT_INTERRUPTED = 130;
const SIGINT_EXIT_WAIT_MS = 5000;

type Teardown = { teardown(fn: () => Promise<void>): void };

async function simOn(t: Teardown, transport: Parameters<typeof startBus>[0]['transport']): Promise<RunningBus> {
  const bus = await startBus({ transport, meters: [{ unit: 1, profile: 'dtsu666', kw: 12 }, { unit: 3, profile: 'sdm630', kw: 4 }] });
  t.teardown(() => bus.close());
  return bus;
}

t.test('agent read – prints one decoded reading with units', async (t) => {
  const bus = await simOn(t, { kind: 'tcp', host: '127.0.0.1', port: 0 });
  const r = await runTandem(['agent', 'read', '--tcp', `127.0.0.1:${bus.port}`, '--unit', '1', '--profile', 'dtsu666']);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /^unit 1 on tcp 127\.0\.0\.1:\d+, profile dtsu666/);
  t.match(r.stdout, /\n {2}p +12000\.0 W {2}total active power\n/);
  t.match(r.stdout, /\n {2}u1 +2[23]\d\.\d\d V {2}phase voltage L1-N\n/);
  t.notMatch(r.stdout, /hints:/, 'a healthy meter gets no hints');
});

t.test('agent read – --json keys every quantity and carries the hints', async (t) => {
  const bus = await simOn(t, { kind: 'tcp', host: '127.0.0.1', port: 0 });
  bus.meter(3).setFault({ kind: 'reversed-ct' });
  const r = await runTandem(['agent', 'read', '--tcp', `127.0.0.1:${bus.port}`, '--unit', '3', '--profile', 'sdm630', '--json']);
  t.equal(r.code, 0, r.stderr);
  const reading = JSON.parse(r.stdout);
  t.same(Object.keys(reading), ['u1', 'u2', 'u3', 'i1', 'i2', 'i3', 'p', 'pf', 'f', 'ei']);
  t.same(reading.p.value, -4000);
  t.equal(reading.p.unit, 'W');
  t.match(reading.p.hint, /CT mounted backwards/);
  t.equal(reading.u1.hint, undefined);
});

t.test('agent read – over RTU-over-TCP and over a serial line', async (t) => {
  const converter = await simOn(t, { kind: 'rtu-over-tcp', host: '127.0.0.1', port: 0 });
  const r = await runTandem(['agent', 'read', '--rtu-over-tcp', `127.0.0.1:${converter.port}`, '--unit', '3', '--profile', 'sdm630', '--json']);
  t.equal(r.code, 0, r.stderr);
  t.equal(JSON.parse(r.stdout).p.value, 4000);

  t.test('serial', { skip: ptySkipReason() }, async (t) => {
    const pair = await startPtyPair();
    t.teardown(() => pair.close());
    await simOn(t, { kind: 'rtu', path: pair.b, baud: 9600 });
    const r = await runTandem(['agent', 'read', '--serial', pair.a, '--baud', '9600', '--unit', '1', '--profile', 'dtsu666', '--json']);
    t.equal(r.code, 0, r.stderr);
    t.equal(JSON.parse(r.stdout).p.value, 12000);
  });
});

t.test('agent read – clear errors for bad input and unreachable meters', async (t) => {
  const bus = await simOn(t, { kind: 'tcp', host: '127.0.0.1', port: 0 });
  const at = ['--tcp', `127.0.0.1:${bus.port}`];
  const unknown = await runTandem(['agent', 'read', ...at, '--unit', '1', '--profile', 'nope']);
  t.equal(unknown.code, 2);
  t.match(unknown.stderr, "--profile: no meter profile 'nope' (known: adw300, dtsd1352, dtsu666");
  const absent = await runTandem(['agent', 'read', ...at, '--unit', '9', '--profile', 'dtsu666']);
  t.equal(absent.code, 1);
  t.match(absent.stderr, /unit 9 on tcp .*gateway target device failed to respond.*Check the unit id, the A\/B wiring/);
  const closed = await startTcpTestServer({ framing: 'tcp', slaves: {} });
  await closed.close();
  const refused = await runTandem(['agent', 'read', '--tcp', `127.0.0.1:${closed.port}`, '--unit', '1', '--profile', 'dtsu666']);
  t.equal(refused.code, 1);
  t.match(refused.stderr, `cannot connect to tcp 127.0.0.1:${closed.port}: connection refused`);
  const noPort = await runTandem(['agent', 'read', '--serial', '/dev/tandem-no-such-port', '--baud', '9600', '--unit', '1', '--profile', 'dtsu666']);
  t.equal(noPort.code, 1);
  t.match(noPort.stderr, /cannot open rtu \/dev\/tandem-no-such-port 9600 8N1: .*No such file/);
  const two = await runTandem(['agent', 'read', ...at, '--serial', '/dev/x', '--unit', '1', '--profile', 'dtsu666']);
  t.equal(two.code, 2);
  t.match(two.stderr, 'give exactly one of --tcp HOST:PORT, --rtu-over-tcp HOST:PORT, --serial PATH (got --tcp and --serial)');
});

t.test('agent scan – finds the responding units and guesses their profiles', async (t) => {
  const bus = await simOn(t, { kind: 'tcp', host: '127.0.0.1', port: 0 });
  const r = await runTandem(['agent', 'scan', '--tcp', `127.0.0.1:${bus.port}`, '--units', '1-6']);
  t.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  t.equal(lines.length, 2, r.stdout);
  t.match(lines[0], /^unit 1: dtsu666 \(CHINT DTSU666 three-phase meter\), 10 of 10 values plausible/);
  t.match(lines[1], /^unit 3: sdm630 \(Eastron SDM630 three-phase meter\), 10 of 10 values plausible/);
  t.match(r.stderr, /scan: tcp 127\.0\.0\.1:\d+: unit 1 \(1 of 6\)/, 'progress on stderr');
  t.match(r.stderr, /2 unit\(s\) answered on tcp 127\.0\.0\.1:\d+: 1, 3\./);

  const json = await runTandem(['agent', 'scan', '--tcp', `127.0.0.1:${bus.port}`, '--units', '1,3', '--json']);
  t.same(JSON.parse(json.stdout).map((f: { unit: number; profile: string }) => [f.unit, f.profile]), [[1, 'dtsu666'], [3, 'sdm630']]);
});

t.test('agent scan – on a serial line also finds baud rate and parity', { skip: ptySkipReason() }, async (t) => {
  // A pty carries bytes at any setting, so the first setting tried answers: this shows the
  // search runs and reports, not that a wrong baud rate is recognised as wrong.
  const pair = await startPtyPair();
  t.teardown(() => pair.close());
  await startBus({ transport: { kind: 'rtu', path: pair.b, baud: 9600 }, meters: [{ unit: 2, profile: 'dtsu666', kw: 3 }] }).then((b) => t.teardown(() => b.close()));
  const r = await runTandem(['agent', 'scan', '--serial', pair.a, '--units', '1-3', '--profile', 'dtsu666', '--json']);
  t.equal(r.code, 0, r.stderr);
  t.same(JSON.parse(r.stdout).map((f: { unit: number; baud: number; parity: string; profile: string }) => [f.unit, f.baud, f.parity, f.profile]), [[2, 9600, 'none', 'dtsu666']]);
});

t.test('agent scan – Ctrl-C stops cleanly and still reports', async (t) => {
  // Nobody answers: each of 247 ids would wait out its timeout (~2 min in all).
  const silent = await startTcpTestServer({ framing: 'tcp', slaves: {} });
  t.teardown(() => silent.close());
  const child = spawn(process.execPath, [TANDEM_BIN, 'agent', 'scan', '--tcp', `127.0.0.1:${silent.port}`, '--timeout', '500'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no progress line: ${stderr}`)), 10_000);
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (stderr.includes('scan: tcp')) (clearTimeout(timer), resolve());
    });
  });
  const sentAt = Date.now();
  child.kill('SIGINT');
  const killer = setTimeout(() => child.kill('SIGKILL'), SIGINT_EXIT_WAIT_MS);
  const code = await exited;
  clearTimeout(killer);
  t.equal(code, EXIT_INTERRUPTED, 'exits with 130, not killed');
  t.ok(Date.now() - sentAt < SIGINT_EXIT_WAIT_MS, 'within the request in flight');
  t.match(stderr, /scan: interrupted; 0 unit\(s\) answered on tcp/);
});
