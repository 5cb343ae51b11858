import t, { type Test } from 'tap';
import net from 'node:net';
import { PROFILES, decodePoint, registerCount, type Profile, type Quantity } from '../../protocol/index.js';
import { runTandem } from '../helpers/cli.js';
import { hasCommand, mbpoll, ptyPair, startSim, tempDir, type SimProcess } from './helpers.js';

const MBPOLL = hasCommand('mbpoll') ? false : 'mbpoll is not installed (apt-get install mbpoll)';
const SOCAT = hasCommand('socat') ? false : 'socat is not installed (apt-get install socat)';
const KW = 37.5;
const profiles = [...PROFILES.values()];
/** Every profile on one bus, unit = position + 1. */
const meterFlags = profiles.flatMap((p, i) => ['--meter', `${i + 1}:${p.id}:${KW}`]);

type Status = { meters: { unit: number; values: Partial<Record<Quantity, number>> }[] };

/** One LSB of the point's encoding, in SI units. */
function resolution(profile: Profile, q: Quantity, value: number): number {
  const point = profile.points[q]!;
  return point.type.startsWith('float') ? Math.abs(value) * 1e-6 + 1e-9 : point.scale;
}

/** mbpoll reads every point of every profile; each decodes to what the simulator says it serves. */
async function checkEveryProfile(t: Test, sim: SimProcess, connection: string[]) {
  const before = JSON.parse(await sim.command('status')) as Status;
  const read: { profile: Profile; q: Quantity; value: number }[] = [];
  for (const [i, profile] of profiles.entries()) {
    for (const [q, point] of Object.entries(profile.points) as [Quantity, NonNullable<Profile['points'][Quantity]>][]) {
      const r = await mbpoll(connection, i + 1, point.fc, point.address, registerCount(point.type));
      t.ok(r.ok, `${profile.id}.${q} read (${r.stderr.trim()})`);
      if (r.ok) read.push({ profile, q, value: decodePoint(point, r.registers, {}) });
    }
  }
  const after = JSON.parse(await sim.command('status')) as Status;
  for (const { profile, q, value } of read) {
    const unit = profiles.indexOf(profile) + 1;
    const a = before.meters.find((m) => m.unit === unit)!.values[q]!;
    const b = after.meters.find((m) => m.unit === unit)!.values[q]!;
    // Energy grows between the two status lines; everything else is steady.
    const lsb = resolution(profile, q, b);
    t.ok(value >= Math.min(a, b) - lsb && value <= Math.max(a, b) + lsb, `${profile.id}.${q}: mbpoll ${value}, simulator ${a}…${b}`);
  }
}

t.test('sim bus over Modbus TCP – mbpoll reads every profile as the simulator serves it', { skip: MBPOLL }, async (t) => {
  const sim = await startSim(['sim', 'bus', '--tcp', '127.0.0.1:0', '--steady', ...meterFlags]);
  t.teardown(() => sim.stop());
  t.match(sim.url, /^tcp:\/\/127\.0\.0\.1:\d+$/);
  await checkEveryProfile(t, sim, ['-m', 'tcp', '-p', String(sim.port), '127.0.0.1']);
});

t.test('sim bus over RTU on a pty – mbpoll reads every profile as the simulator serves it', { skip: MBPOLL || SOCAT }, async (t) => {
  const pty = await ptyPair(tempDir(t));
  t.teardown(() => pty.close());
  const sim = await startSim(['sim', 'bus', '--serial', pty.a, '--baud', '19200', '--parity', 'even', '--steady', ...meterFlags]);
  t.teardown(() => sim.stop());
  t.match(sim.url, /^rtu:.*baud=19200&parity=even$/);
  await checkEveryProfile(t, sim, ['-m', 'rtu', '-b', '19200', '-P', 'even', pty.b]);
});

t.test('sim bus – exception replies as a real meter gives them, seen by mbpoll', { skip: MBPOLL }, async (t) => {
  const sim = await startSim(['sim', 'bus', '--tcp', '127.0.0.1:0', '--meter', '1:dtsu666:10']);
  t.teardown(() => sim.stop());
  const tcp = ['-m', 'tcp', '-p', String(sim.port), '127.0.0.1'];
  t.match((await mbpoll(tcp, 1, 3, 0, 2)).stderr, /Illegal data address/, 'a register the profile does not have');
  t.match((await mbpoll(tcp, 1, 4, 0x2006, 2)).stderr, /Illegal function/, 'input registers on a holding-register meter');
  t.match((await mbpoll(tcp, 9, 3, 0x2006, 2)).stderr, /Target device failed to respond/, 'a unit nobody has, answered as a TCP gateway does');
});

t.test('sim bus – raw RTU over TCP answers framed requests with a correct CRC', async (t) => {
  const sim = await startSim(['sim', 'bus', '--rtu-over-tcp', '127.0.0.1:0', '--meter', '5:sdm630:20', '--steady']);
  t.teardown(() => sim.stop());
  const { crc16, withCrc, hasValidCrc } = await import('../../firmware-sim/index.js');
  t.equal(crc16(Buffer.from([0x01, 0x03, 0x00, 0x00, 0x00, 0x01])), 0x0a84, 'CRC-16/MODBUS of 01 03 0000 0001 (sent 84 0A)');
  const socket = net.connect(sim.port!, '127.0.0.1');
  t.teardown(() => socket.destroy());
  const reply = await new Promise<Buffer>((resolve) => {
    socket.once('data', resolve);
    socket.write(withCrc(Buffer.from([5, 0x04, 0x00, 0x34, 0x00, 0x02])));
  });
  t.ok(hasValidCrc(reply), 'reply CRC checks');
  t.same([...reply.subarray(0, 3)], [5, 0x04, 4], 'unit, function, byte count');
  t.equal(reply.readFloatBE(3), 20_000, 'total power of 20 kW in W');
});

t.test('sim bus – clear errors for bad input', async (t) => {
  const profile = await runTandem(['sim', 'bus', '--tcp', '127.0.0.1:0', '--meter', '1:nosuchmeter']);
  t.equal(profile.code, 2);
  t.match(profile.stderr, /unknown profile 'nosuchmeter' \(known: .*dtsu666/);
  const malformed = await runTandem(['sim', 'bus', '--tcp', '127.0.0.1:0', '--meter', 'one:dtsu666']);
  t.equal(malformed.code, 2);
  t.match(malformed.stderr, /--meter must be UNIT:PROFILE\[:KW\]/);
  const serial = await runTandem(['sim', 'bus', '--serial', '/nonexistent/tty', '--meter', '1:dtsu666']);
  t.equal(serial.code, 1);
  t.match(serial.stderr, /TANDEM_SIM_SERIAL: cannot open serial device \/nonexistent\/tty/);
  const holder = net.createServer().listen(0, '127.0.0.1');
  t.teardown(() => holder.close());
  await new Promise((r) => holder.once('listening', r));
  const port = (holder.address() as net.AddressInfo).port;
  const busy = await runTandem(['sim', 'bus', '--tcp', `127.0.0.1:${port}`, '--meter', '1:dtsu666']);
  t.equal(busy.code, 1);
  t.match(busy.stderr, new RegExp(`TANDEM_SIM_LISTEN: cannot listen on 127.0.0.1:${port}: the port is already in use`));
});
