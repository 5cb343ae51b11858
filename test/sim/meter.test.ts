import t from 'tap';
import { PROFILES, decodePoint, registerCount, type Quantity } from '../../protocol/index.js';
import { MeterEmulator } from '../../firmware-sim/index.js';
import { EXCEPTION, ModbusException } from '../../firmware-sim/meter/faults.js';

const HOUR_MS = 3_600_000;

function clock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

t.test('meter emulator – energy under constant load P for time t grows by P·t', async (t) => {
  const c = clock();
  const meter = new MeterEmulator({ unit: 1, profile: 'dtsu666', kw: 42, now: c.now, energyKwh: 1000 });
  c.advance(2.5 * HOUR_MS);
  t.equal(meter.values().ei, 1000 + 42 * 2.5);
  meter.setLoad(10);
  c.advance(HOUR_MS / 2);
  t.equal(meter.energy, 1000 + 42 * 2.5 + 5, 'a load step integrates each part at its own power');
  c.advance(-HOUR_MS);
  t.equal(meter.energy, 1110, 'a clock stepping back never takes energy back');
});

t.test('meter emulator – energy carries across a restart when the site keeps it', async (t) => {
  const c = clock();
  const first = new MeterEmulator({ unit: 1, profile: 'sdm630', kw: 12, now: c.now, energyKwh: 50 });
  c.advance(HOUR_MS);
  const kept = first.energy;
  const second = new MeterEmulator({ unit: 1, profile: 'sdm630', kw: 12, now: c.now, energyKwh: kept });
  c.advance(HOUR_MS);
  t.equal(second.energy, 50 + 12 * 2);
});

t.test('meter emulator – values are self-consistent three-phase quantities', async (t) => {
  const meter = new MeterEmulator({ unit: 3, profile: 'sdm630', kw: 69, pf: 0.8 });
  const v = meter.values() as Record<Quantity, number>;
  for (const u of [v.u1, v.u2, v.u3]) t.ok(Math.abs(u - 230) < 230 * 0.01, `voltage ${u} near 230 V`);
  t.ok(Math.abs(v.f - 50) <= 0.02, `frequency ${v.f} near 50 Hz`);
  t.equal(v.p, 69_000);
  t.equal(v.pf, 0.8);
  const apparent = v.u1 * v.i1 + v.u2 * v.i2 + v.u3 * v.i3;
  t.ok(Math.abs(apparent * v.pf - v.p) < v.p * 0.02, 'Σ U·I·PF matches P within the phase imbalance');
});

t.test('meter emulator – every profile serves its points in its own encoding', async (t) => {
  for (const profile of PROFILES.values()) {
    const meter = new MeterEmulator({ unit: 1, profile: profile.id, kw: 37.5, pf: 0.92, jitter: false, energyKwh: 1234.5 });
    const served = meter.values();
    t.same(Object.keys(served).sort(), Object.keys(profile.points).sort(), `${profile.id}: serves exactly its profile's quantities`);
    for (const [q, point] of Object.entries(profile.points)) {
      const regs = meter.registers(point.fc, point.address, registerCount(point.type));
      const decoded = decodePoint(point, regs, {});
      const lsb = point.type.startsWith('float') ? Math.abs(served[q as Quantity]!) * 1e-6 + 1e-9 : point.scale;
      t.ok(Math.abs(decoded - served[q as Quantity]!) <= lsb, `${profile.id}.${q}: ${decoded} ≈ ${served[q as Quantity]}`);
    }
  }
});

t.test('meter emulator – refuses reads a real meter refuses', async (t) => {
  const meter = new MeterEmulator({ unit: 1, profile: 'dtsu666' });
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return error instanceof ModbusException ? error.code : error;
    }
    return 'no exception';
  };
  t.equal(code(() => meter.registers(4, 0x2006, 2)), EXCEPTION.ILLEGAL_FUNCTION, 'FC 04 on a holding-register meter');
  t.equal(code(() => meter.registers(3, 0, 2)), EXCEPTION.ILLEGAL_DATA_ADDRESS, 'a register outside the map');
  t.equal(code(() => meter.registers(3, 0x2006, 200)), EXCEPTION.ILLEGAL_DATA_VALUE, 'more than 125 registers');
  t.equal(meter.registers(3, 0x2006, 40).length, 40, 'a 40-register read across the holes between mapped points');
});

t.test('meter emulator – a value the register cannot hold saturates instead of failing', async (t) => {
  const meter = new MeterEmulator({ unit: 1, profile: 'adw300', kw: 2000, pf: 0.9, jitter: false });
  const point = meter.definition.points.i1!;
  t.equal(decodePoint(point, meter.registers(3, point.address, 1), {}), 655.35, 'uint16 × 0.01 A tops out at 655.35 A');
});

t.test('meter emulator – PT/CT ratios scale the secondary registers and are writable', async (t) => {
  const meter = new MeterEmulator({ unit: 1, profile: 'dtsd1352', kw: 400, pf: 0.9, ct: 40, jitter: false });
  const i1 = meter.definition.points.i1!;
  const served = meter.values().i1!;
  t.ok(Math.abs(decodePoint(i1, meter.registers(3, i1.address, 1), { ct: 40 }) - served) <= 0.01 * 40);
  meter.writeRegisters(0x8e, [80]);
  t.same(meter.registers(3, 0x8e, 1), [80], 'the CT register reads back what was written');
  t.throws(() => meter.writeRegisters(0x61, [1]), ModbusException, 'measurement registers are read-only');
});
