// A reading's values as a compact blob for the outbox row: a varint bitmask of the
// quantities present, a varint bitmask of those with a bad quality, one byte per bad
// quality, then each value as a zigzag varint in the quantity's wire resolution
// (protocol/batch.ts toSteps). A typical three-phase reading takes ~30 bytes.
import { QUANTITY_NAMES, fromSteps, toSteps, type BadQuality, type Quantity } from '../../protocol/index.js';

const QUALITY_CODES: readonly BadQuality[] = ['unsupported', 'error', 'invalid'];
const VARINT_BITS = 128; // 7 payload bits per byte, high bit = more bytes follow

type Values = Partial<Record<Quantity, number>>;
type Qualities = Partial<Record<Quantity, BadQuality>>;

export function encodeRow(values: Values, quality: Qualities | undefined): Buffer {
  const out: number[] = [];
  let valueMask = 0;
  let qualityMask = 0;
  QUANTITY_NAMES.forEach((q, bit) => {
    const value = values[q];
    if (value !== undefined && Number.isFinite(value)) valueMask |= 1 << bit;
    if (quality?.[q]) qualityMask |= 1 << bit;
  });
  writeVarint(out, valueMask);
  writeVarint(out, qualityMask);
  QUANTITY_NAMES.forEach((q, bit) => {
    if (qualityMask & (1 << bit)) out.push(QUALITY_CODES.indexOf(quality![q]!));
  });
  QUANTITY_NAMES.forEach((q, bit) => {
    if (valueMask & (1 << bit)) writeVarint(out, zigzag(toSteps(q, values[q]!)));
  });
  return Buffer.from(out);
}

export function decodeRow(blob: Uint8Array): { values: Values; quality?: Qualities } {
  const cursor = { at: 0 };
  const valueMask = readVarint(blob, cursor);
  const qualityMask = readVarint(blob, cursor);
  const values: Values = {};
  let quality: Qualities | undefined;
  QUANTITY_NAMES.forEach((q, bit) => {
    if (qualityMask & (1 << bit)) (quality ??= {})[q] = QUALITY_CODES[blob[cursor.at++]!]!;
  });
  QUANTITY_NAMES.forEach((q, bit) => {
    if (valueMask & (1 << bit)) values[q] = fromSteps(q, unzigzag(readVarint(blob, cursor)));
  });
  return quality ? { values, quality } : { values };
}

// Arithmetic rather than bit operators: energy counters in steps pass 2^31.
function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

function unzigzag(n: number): number {
  return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}

function writeVarint(out: number[], n: number): void {
  while (n >= VARINT_BITS) {
    out.push((n % VARINT_BITS) + VARINT_BITS);
    n = Math.floor(n / VARINT_BITS);
  }
  out.push(n);
}

function readVarint(blob: Uint8Array, cursor: { at: number }): number {
  let n = 0;
  let scale = 1;
  for (;;) {
    const byte = blob[cursor.at++];
    if (byte === undefined) throw new RangeError('outbox row ends inside a number');
    n += (byte % VARINT_BITS) * scale;
    if (byte < VARINT_BITS) return n;
    scale *= VARINT_BITS;
  }
}
