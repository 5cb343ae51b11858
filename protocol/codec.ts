// Modbus register values ⇄ numbers. Modbus itself only defines 16-bit registers sent
// big-endian (MODBUS Application Protocol v1.1b3 §4.2); wider values span several
// registers in an order each maker picks, hence the four orders below.

export type ValueType = 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float32' | 'float64' | 'bit';
export type WordOrder = 'ABCD' | 'CDAB' | 'BADC' | 'DCBA';

export const VALUE_TYPES: readonly ValueType[] = ['int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64', 'bit'];
export const WORD_ORDERS: readonly WordOrder[] = ['ABCD', 'CDAB', 'BADC', 'DCBA'];
/** The Modbus standard: big-endian bytes, high word first. */
export const DEFAULT_ORDER: WordOrder = 'ABCD';

const REGISTER_MAX = 0xffff;
const FLOAT32_MAX = 3.4028234663852886e38;
/** [min, max] a value of each integer type can hold (raw, before scale). */
export const INT_RANGES = {
  int16: [-0x8000, 0x7fff],
  uint16: [0, 0xffff],
  int32: [-0x80000000, 0x7fffffff],
  uint32: [0, 0xffffffff],
  int64: [-(1n << 63n), (1n << 63n) - 1n],
  uint64: [0n, (1n << 64n) - 1n],
  bit: [0, 1],
} as const;

export interface ValueFormat {
  type: ValueType;
  order?: WordOrder;
  scale?: number;
  offset?: number;
  /** 0..15, for 'bit' */
  bit?: number;
}

/** Registers a value of `type` occupies: bit/16-bit 1, 32-bit 2, 64-bit 4. */
export function registerCount(type: ValueType): number {
  if (type.endsWith('64')) return 4;
  if (type.endsWith('32')) return 2;
  return 1;
}

// Single-threaded, so one scratch buffer serves every call.
const scratch = new DataView(new ArrayBuffer(8));

/**
 * Device words ⇄ big-endian (ABCD…) words. Reversing words and swapping bytes are each their
 * own inverse, so the same call converts in both directions.
 */
function reorder(words: ArrayLike<number>, count: number, order: WordOrder): number[] {
  const swapWords = order === 'CDAB' || order === 'DCBA';
  const swapBytes = order === 'BADC' || order === 'DCBA';
  return Array.from({ length: count }, (_, i) => {
    const w = words[swapWords ? count - 1 - i : i];
    return swapBytes ? ((w & 0xff) << 8) | (w >> 8) : w;
  });
}

function checkBit(type: ValueType, bit: number | undefined): number {
  if (type !== 'bit') return 0;
  if (bit === undefined || !Number.isInteger(bit) || bit < 0 || bit > 15) {
    throw new RangeError(`bit: ${String(bit)} is not a bit number 0..15`);
  }
  return bit;
}

/** The value as the device holds it, before scale and offset. int64/uint64 give a bigint. */
export function decodeRaw(registers: ArrayLike<number>, type: ValueType, order: WordOrder = DEFAULT_ORDER, bit?: number): number | bigint {
  const count = registerCount(type);
  const bitNo = checkBit(type, bit);
  if (registers.length < count) throw new RangeError(`${type}: needs ${count} registers, got ${registers.length}`);
  for (let i = 0; i < count; i++) {
    const r = registers[i];
    if (!Number.isInteger(r) || r < 0 || r > REGISTER_MAX) throw new RangeError(`register ${i}: ${String(r)} is not 0..65535`);
  }
  reorder(registers, count, order).forEach((w, i) => scratch.setUint16(2 * i, w));
  switch (type) {
    case 'int16': return scratch.getInt16(0);
    case 'uint16': return scratch.getUint16(0);
    case 'bit': return (scratch.getUint16(0) >> bitNo) & 1;
    case 'int32': return scratch.getInt32(0);
    case 'uint32': return scratch.getUint32(0);
    case 'int64': return scratch.getBigInt64(0);
    case 'uint64': return scratch.getBigUint64(0);
    case 'float32': return scratch.getFloat32(0);
    case 'float64': return scratch.getFloat64(0);
  }
}

function rangeError(type: ValueType, raw: number | bigint, why: string): RangeError {
  return new RangeError(`${type}: ${String(raw)} ${why}`);
}

function writeRaw(raw: number | bigint, type: ValueType, bitNo: number): void {
  if (type === 'float32' || type === 'float64') {
    if (typeof raw !== 'number') throw rangeError(type, raw, 'is not a number');
    // Rounding to float32 is expected; overflowing to Infinity is not.
    if (type === 'float32' && Number.isFinite(raw) && Math.abs(raw) > FLOAT32_MAX) throw rangeError(type, raw, 'is outside the float32 range');
    if (type === 'float32') scratch.setFloat32(0, raw);
    else scratch.setFloat64(0, raw);
    return;
  }
  const [min, max] = INT_RANGES[type];
  if (typeof raw === 'number' && !Number.isInteger(raw)) throw rangeError(type, raw, 'is not an integer');
  if (raw < min || raw > max) throw rangeError(type, raw, `is outside ${min}..${max}`);
  switch (type) {
    case 'int16': return scratch.setInt16(0, Number(raw));
    case 'uint16': return scratch.setUint16(0, Number(raw));
    case 'bit': return scratch.setUint16(0, Number(raw) << bitNo);
    case 'int32': return scratch.setInt32(0, Number(raw));
    case 'uint32': return scratch.setUint32(0, Number(raw));
    case 'int64': return scratch.setBigInt64(0, BigInt(raw));
    case 'uint64': return scratch.setBigUint64(0, BigInt(raw));
  }
}

/** The registers a device would hold for `raw`: the exact inverse of decodeRaw. */
export function encodeRaw(raw: number | bigint, type: ValueType, order: WordOrder = DEFAULT_ORDER, bit?: number): number[] {
  writeRaw(raw, type, checkBit(type, bit));
  const count = registerCount(type);
  const canonical = Array.from({ length: count }, (_, i) => scratch.getUint16(2 * i));
  return reorder(canonical, count, order);
}

/**
 * Dividing by 10 rounds 2301 to 230.1 exactly where multiplying by 0.1 gives 230.10000000000002,
 * so scales whose inverse is a whole number divide.
 */
function applyScale(x: number, scale: number): number {
  const inverse = 1 / scale;
  return Number.isInteger(inverse) ? x / inverse : x * scale;
}

function removeScale(x: number, scale: number): number {
  const inverse = 1 / scale;
  return Number.isInteger(inverse) ? x * inverse : x / scale;
}

/** raw × scale + offset, as a JS number (64-bit counters past 2^53 lose their last digits here). */
export function decode(registers: ArrayLike<number>, format: ValueFormat): number {
  const raw = decodeRaw(registers, format.type, format.order, format.bit);
  return applyScale(Number(raw), format.scale ?? 1) + (format.offset ?? 0);
}

/** (value − offset) / scale, rounded to the nearest integer for integer types: the inverse of decode. */
export function encode(value: number, format: ValueFormat): number[] {
  const scale = format.scale ?? 1;
  if (!Number.isFinite(scale) || scale === 0) throw new RangeError(`scale: ${scale} cannot be inverted`);
  const x = removeScale(value - (format.offset ?? 0), scale);
  const { type } = format;
  if (type === 'float32' || type === 'float64') return encodeRaw(x, type, format.order, format.bit);
  if (!Number.isFinite(x)) throw rangeError(type, value, 'is not a finite number');
  const rounded = Math.round(x);
  // Doubles past 2^53 are whole numbers already; BigInt keeps them exact for 64-bit types.
  const raw = type === 'int64' || type === 'uint64' ? BigInt(rounded) : rounded;
  return encodeRaw(raw, type, format.order, format.bit);
}
