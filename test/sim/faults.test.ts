import t, { type Test } from 'tap';
import { decode } from '../../protocol/index.js';
import { hasCommand, mbpoll, ptyPair, startSim, tempDir, type SimProcess } from './helpers.js';

const MBPOLL = hasCommand('mbpoll') ? false : 'mbpoll is not installed (apt-get install mbpoll)';
const SOCAT = hasCommand('socat') ? false : 'socat is not installed (apt-get install socat)';
/** SDM630 (FC 04, float32 ABCD): u1..u3 0x00–0x05, i1..i3 0x06–0x0B, p 0x34, pf 0x3E, f 0x46, ei 0x48. */
const ADDR = { u: 0x00, i: 0x06, p: 0x34, pf: 0x3e, ei: 0x48 };
const f32 = (regs: number[], at = 0) => decode(regs.slice(at, at + 2), { type: 'float32' });

async function bus(t: Test): Promise<{ sim: SimProcess; read: (address: number, count: number, timeoutS?: number) => ReturnType<typeof mbpoll> }> {
  const sim = await startSim(['sim', 'bus', '--tcp', '127.0.0.1:0', '--meter', '1:sdm630:30', '--energy', '5000']);
  t.teardown(() => sim.stop());
  const read = (address: number, count: number, timeoutS = 1) => mbpoll(['-m', 'tcp', '-p', String(sim.port), '127.0.0.1'], 1, 4, address, count, timeoutS);
  return { sim, read };
}

t.test('faults seen by mbpoll – silent: no reply until cleared', { skip: MBPOLL }, async (t) => {
  const { sim, read } = await bus(t);
  t.equal(await sim.command('fault 1 silent'), 'ok unit 1 fault silent');
  const r = await read(ADDR.p, 2, 0.3);
  t.notOk(r.ok);
  t.match(r.stderr, /timed out/);
  await sim.command('clear 1');
  t.ok((await read(ADDR.p, 2)).ok, 'answers again after clear');
});

t.test('faults seen by mbpoll – slow: the reply comes only after the delay', { skip: MBPOLL }, async (t) => {
  const { sim, read } = await bus(t);
  await sim.command('fault 1 slow delayMs=600');
  const patient = await read(ADDR.p, 2, 2);
  t.ok(patient.ok, 'a master waiting long enough gets the reply');
  t.ok(patient.elapsedMs >= 600, `after ${patient.elapsedMs.toFixed(0)} ms ≥ 600 ms`);
  t.match((await read(ADDR.p, 2, 0.2)).stderr, /timed out/, 'a master with a shorter timeout gives up');
});

t.test('faults seen by mbpoll – exception: every read refused with the code', { skip: MBPOLL }, async (t) => {
  const { sim, read } = await bus(t);
  await sim.command('fault 1 exception code=6');
  t.match((await read(ADDR.p, 2)).stderr, /Slave device or server is busy/);
  await sim.command('fault 1 exception code=4');
  t.match((await read(ADDR.u, 6)).stderr, /Slave device or server failure/);
});

t.test('faults seen by mbpoll – bad CRC on Modbus TCP: a malformed reply', { skip: MBPOLL }, async (t) => {
  const { sim, read } = await bus(t);
  await sim.command('fault 1 bad-crc');
  t.match((await read(ADDR.p, 2)).stderr, /Invalid data/);
});

t.test('faults seen by mbpoll – bad CRC on RTU: the master rejects the frame', { skip: MBPOLL || SOCAT }, async (t) => {
  const pty = await ptyPair(tempDir(t));
  t.teardown(() => pty.close());
  const sim = await startSim(['sim', 'bus', '--serial', pty.a, '--baud', '19200', '--meter', '1:sdm630:30']);
  t.teardown(() => sim.stop());
  const read = () => mbpoll(['-m', 'rtu', '-b', '19200', '-P', 'none', pty.b], 1, 4, ADDR.p, 2);
  t.ok((await read()).ok, 'reads before the fault');
  await sim.command('fault 1 bad-crc');
  t.match((await read()).stderr, /Invalid CRC/);
});

t.test('faults seen by mbpoll – energy reset: the counter goes back to 0 and counts on', { skip: MBPOLL }, async (t) => {
  const { sim, read } = await bus(t);
  const before = f32((await read(ADDR.ei, 2)).registers);
  t.ok(before >= 5000, `counter at ${before} kWh`);
  await sim.command('fault 1 energy-reset');
  const after = f32((await read(ADDR.ei, 2)).registers);
  t.ok(after < 1, `counter reset to ${after} kWh`);
  await sim.command('clear 1');
  t.ok(f32((await read(ADDR.ei, 2)).registers) >= after, 'clearing does not bring the old count back, nor go backwards');
});

t.test('faults seen by mbpoll – reversed CT: negative power and PF', { skip: MBPOLL }, async (t) => {
  const { sim, read } = await bus(t);
  await sim.command('fault 1 reversed-ct');
  t.equal(f32((await read(ADDR.p, 2)).registers), -30_000);
  t.ok(f32((await read(ADDR.pf, 2)).registers) < 0);
});

t.test('faults seen by mbpoll – lost phase: its voltage and current read 0, power falls by a third', { skip: MBPOLL }, async (t) => {
  const { sim, read } = await bus(t);
  await sim.command('fault 1 lost-phase phase=2');
  const regs = (await read(ADDR.u, 12)).registers;
  const [u1, u2, u3, i1, i2, i3] = [0, 2, 4, 6, 8, 10].map((k) => f32(regs, k));
  t.equal(u2, 0);
  t.equal(i2, 0);
  t.ok(u1 > 200 && u3 > 200 && i1 > 0 && i3 > 0, 'the other phases carry on');
  t.equal(f32((await read(ADDR.p, 2)).registers), 20_000);
});

t.test('faults seen by mbpoll – frozen: every register repeats until cleared', { skip: MBPOLL }, async (t) => {
  const { sim, read } = await bus(t);
  const a = await read(ADDR.u, 12);
  const b = await read(ADDR.u, 12);
  t.notSame(a.registers, b.registers, 'live values jitter from read to read');
  await sim.command('fault 1 frozen');
  const frozen = [await read(ADDR.u, 12), await read(ADDR.u, 12), await read(ADDR.ei, 2), await read(ADDR.ei, 2)];
  t.same(frozen[0].registers, frozen[1].registers, 'voltages and currents repeat');
  t.same(frozen[2].registers, frozen[3].registers, 'energy stands still');
  await sim.command('clear 1');
  t.notSame((await read(ADDR.u, 12)).registers, frozen[0].registers, 'moving again after clear');
});
