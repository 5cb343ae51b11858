import t from 'tap';
import { VALUE_TYPES, WORD_ORDERS, decode, decodeRaw, encode, encodeRaw, registerCount, type ValueType } from '../../protocol/codec.js';

const closeTo = (actual: number, expected: number, relative: number) => Math.abs(actual - expected) <= Math.abs(expected) * relative;

t.test('codec – float32 230.1 read in each word order (meters.md vectors)', async (t) => {
  const regs = [0x4366, 0x199a];
  t.equal(decodeRaw(regs, 'float32', 'ABCD'), Math.fround(230.1));
  t.equal(decodeRaw(regs, 'float32'), Math.fround(230.1), 'ABCD is the default');
  const misread = { CDAB: 1.6e-23, BADC: 2.3e23, DCBA: -3.2e-23 } as const;
  for (const [order, expected] of Object.entries(misread)) {
    t.ok(closeTo(decodeRaw(regs, 'float32', order as keyof typeof misread) as number, expected, 0.02), `${order} ≈ ${expected}`);
  }
  t.ok(closeTo(decodeRaw([0x4365, 0x0000], 'float32', 'CDAB') as number, 2.4e-41, 0.02), '229.0 word-swapped ≈ 2.4e-41');
  t.same(encodeRaw(230.1, 'float32'), regs);
});

t.test('codec – int32 0x12345678 lands on the device in the order asked', async (t) => {
  t.same(encodeRaw(0x12345678, 'int32', 'ABCD'), [0x1234, 0x5678]);
  t.same(encodeRaw(0x12345678, 'int32', 'CDAB'), [0x5678, 0x1234]);
  t.same(encodeRaw(0x12345678, 'int32', 'BADC'), [0x3412, 0x7856]);
  t.same(encodeRaw(0x12345678, 'int32', 'DCBA'), [0x7856, 0x3412]);
});

t.test('codec – 64-bit and 16-bit layouts of each order', async (t) => {
  const v = 0x0102030405060708n;
  t.same(encodeRaw(v, 'uint64', 'ABCD'), [0x0102, 0x0304, 0x0506, 0x0708]);
  t.same(encodeRaw(v, 'uint64', 'CDAB'), [0x0708, 0x0506, 0x0304, 0x0102]);
  t.same(encodeRaw(v, 'uint64', 'BADC'), [0x0201, 0x0403, 0x0605, 0x0807]);
  t.same(encodeRaw(v, 'uint64', 'DCBA'), [0x0807, 0x0605, 0x0403, 0x0201]);
  t.same(encodeRaw(0x1234, 'uint16', 'CDAB'), [0x1234], 'no word to swap');
  t.same(encodeRaw(0x1234, 'uint16', 'BADC'), [0x3412]);
  t.same(encodeRaw(0x1234, 'uint16', 'DCBA'), [0x3412]);
});

t.test('codec – register counts', async (t) => {
  const counts = VALUE_TYPES.map((type) => [type, registerCount(type)]);
  t.same(Object.fromEntries(counts), { int16: 1, uint16: 1, int32: 2, uint32: 2, int64: 4, uint64: 4, float32: 2, float64: 4, bit: 1 });
});

const EDGES: Record<Exclude<ValueType, 'bit'>, (number | bigint)[]> = {
  int16: [-32768, -1234, -1, 0, 1, 32767],
  uint16: [0, 1, 0x1234, 65535],
  int32: [-0x80000000, -1, 0, 0x12345678, 0x7fffffff],
  uint32: [0, 1, 0xdeadbeef, 0xffffffff],
  int64: [-(1n << 63n), -1n, 0n, (1n << 53n) + 1n, (1n << 63n) - 1n],
  uint64: [0n, (1n << 53n) + 1n, 123456789012345678n, (1n << 64n) - 1n],
  float32: [Math.fround(230.1), -0.5, 0, 1.401298464324817e-45, 3.4028234663852886e38, -3.4028234663852886e38, Infinity, -Infinity, Number.NaN],
  float64: [230.1, -0.5, Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, Infinity, -Infinity, Number.NaN],
};

t.test('codec – every type × order round-trips its extremes exactly', async (t) => {
  for (const order of WORD_ORDERS) {
    for (const [type, values] of Object.entries(EDGES) as [ValueType, (number | bigint)[]][]) {
      for (const v of values) {
        const regs = encodeRaw(v, type, order);
        t.equal(regs.length, registerCount(type));
        t.ok(regs.every((r) => Number.isInteger(r) && r >= 0 && r <= 0xffff), `${type} ${order} ${v} gives registers`);
        t.same(decodeRaw(regs, type, order), v, `${type} ${order} ${v}`);
      }
    }
    for (const bit of [0, 7, 8, 15]) {
      for (const v of [0, 1]) t.equal(decodeRaw(encodeRaw(v, 'bit', order, bit), 'bit', order, bit), v, `bit ${bit} ${order}`);
    }
  }
});

t.test('codec – registers survive decode then encode for integer types', async (t) => {
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 0x80000000) & 0xffff;
  for (const type of ['int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'] as const) {
    for (const order of WORD_ORDERS) {
      for (let i = 0; i < 50; i++) {
        const regs = Array.from({ length: registerCount(type) }, next);
        if (!t.same(encodeRaw(decodeRaw(regs, type, order), type, order), regs)) break;
      }
    }
  }
});

t.test('codec – 64-bit counters past 2^53 stay exact as bigint', async (t) => {
  const big = (1n << 53n) + 1n; // not representable as a JS number
  t.equal(decodeRaw(encodeRaw(big, 'uint64'), 'uint64'), big);
  t.equal(decodeRaw(encodeRaw(-big, 'int64', 'DCBA'), 'int64', 'DCBA'), -big);
  t.equal(decode(encodeRaw(big, 'uint64'), { type: 'uint64' }), 2 ** 53, 'decode() gives the nearest number');
  t.same(encode(2 ** 60, { type: 'uint64' }), encodeRaw(1n << 60n, 'uint64'), 'a whole double past 2^53 encodes exactly');
});

t.test('codec – scale and offset round-trip', async (t) => {
  t.equal(decode([2301], { type: 'uint16', scale: 0.1 }), 230.1, '2301 × 0.1 is 230.1, not 230.10000000000002');
  t.same(encode(230.1, { type: 'uint16', scale: 0.1 }), [2301]);
  t.same(encode(230.14, { type: 'uint16', scale: 0.1 }), [2301], 'rounds to the nearest step');
  t.same(encode(-12.345, { type: 'int32', scale: 0.001, order: 'CDAB' }), encodeRaw(-12345, 'int32', 'CDAB'));
  t.equal(decode(encode(230.1, { type: 'float32', scale: 0.1 }), { type: 'float32', scale: 0.1 }), 230.1);
  t.equal(decode(encode(4000, { type: 'float32', scale: 1000 }), { type: 'float32', scale: 1000 }), 4000);
  const withOffset = { type: 'int16', scale: 0.01, offset: -40 } as const;
  t.same(encode(25.37, withOffset), [6537]);
  t.ok(Math.abs(decode([6537], withOffset) - 25.37) < 1e-9);
  t.equal(decode(encodeRaw(12345678n, 'int64'), { type: 'int64', scale: 0.001 }), 12345.678);
  t.ok(Number.isNaN(decode(encode(Number.NaN, { type: 'float32', scale: 0.1 }), { type: 'float32', scale: 0.1 })), 'NaN passes through');
  t.equal(decode(encode(-Infinity, { type: 'float64' }), { type: 'float64' }), -Infinity);
});

t.test('codec – bit extraction', async (t) => {
  const reg = [0b1000_0000_0000_0101];
  t.equal(decodeRaw(reg, 'bit', 'ABCD', 0), 1);
  t.equal(decodeRaw(reg, 'bit', 'ABCD', 1), 0);
  t.equal(decodeRaw(reg, 'bit', 'ABCD', 2), 1);
  t.equal(decodeRaw(reg, 'bit', 'ABCD', 15), 1);
  t.equal(decodeRaw([0x0001], 'bit', 'BADC', 8), 1, 'byte-swapped orders number bits after the swap');
  t.equal(decodeRaw([0x0001], 'bit', 'BADC', 0), 0);
  t.same(encodeRaw(1, 'bit', 'ABCD', 15), [0x8000]);
  t.equal(decode([0b100], { type: 'bit', bit: 2 }), 1);
});

t.test('codec – errors name the type and value', async (t) => {
  for (const bad of [70000, -1, 1.5, Number.NaN]) {
    t.throws(() => decodeRaw([0, bad], 'uint32'), { name: 'RangeError', message: /register 1/ }, `register ${bad}`);
  }
  t.throws(() => decodeRaw([0x4366], 'float32'), { name: 'RangeError', message: /float32: needs 2 registers, got 1/ });
  t.throws(() => encodeRaw(40000, 'int16'), { name: 'RangeError', message: /int16: 40000 is outside -32768\.\.32767/ });
  t.throws(() => encodeRaw(-1, 'uint16'), { name: 'RangeError', message: /uint16: -1/ });
  t.throws(() => encodeRaw(1.5, 'int32'), { name: 'RangeError', message: /int32: 1\.5 is not an integer/ });
  t.throws(() => encodeRaw(0x100000000, 'uint32'), { name: 'RangeError', message: /uint32: 4294967296/ });
  t.throws(() => encodeRaw(1n << 63n, 'int64'), { name: 'RangeError', message: /int64: 9223372036854775808/ });
  t.throws(() => encodeRaw(-1n, 'uint64'), { name: 'RangeError', message: /uint64: -1/ });
  t.throws(() => encodeRaw(1e39, 'float32'), { name: 'RangeError', message: /float32: 1e\+39/ });
  t.throws(() => encodeRaw(1n, 'float64'), { name: 'RangeError', message: /float64: 1 is not a number/ });
  t.throws(() => encodeRaw(2, 'bit', 'ABCD', 0), { name: 'RangeError', message: /bit: 2/ });
  t.throws(() => decodeRaw([1], 'bit'), { name: 'RangeError', message: /bit: undefined/ });
  t.throws(() => decodeRaw([1], 'bit', 'ABCD', 16), { name: 'RangeError', message: /bit: 16/ });
  t.throws(() => encode(Number.NaN, { type: 'int16' }), { name: 'RangeError', message: /int16: NaN/ });
  t.throws(() => encode(70000, { type: 'uint16' }), { name: 'RangeError', message: /uint16: 70000/ });
  t.throws(() => encode(1, { type: 'uint16', scale: 0 }), { name: 'RangeError', message: /scale: 0/ });
});
