// Readings ⇄ the columnar wire batch (messages.ts ReadingBatchSchema). Values travel as
// integers in each quantity's resolution, delta-coded per meter, so that the JSON is
// short and compresses well: a steady meter's columns become runs of small numbers.
import { QUANTITIES, QUANTITY_NAMES, type Quality, type Quantity } from './quantities.js';
import { SCHEMA_VERSION, type ReadingBatch } from './messages.js';
import { formatSeq } from './sequence.js';

export type BadQuality = Exclude<Quality, 'ok'>;

export interface Reading {
  /** Per-gateway sequence number, assigned when the reading entered the outbox. */
  seq: bigint;
  meter: string;
  /** Epoch ms at which the registers were read. */
  t: number;
  values: Partial<Record<Quantity, number>>;
  /** Quantities whose value is missing or unusable, and why; absent means all ok. */
  quality?: Partial<Record<Quantity, BadQuality>>;
}

/** Integer steps per unit, e.g. 100 for 0.01 V: dividing by it is exact where multiplying by 0.01 is not. */
const STEPS_PER_UNIT = Object.fromEntries(
  QUANTITY_NAMES.map((q) => [q, Math.round(1 / QUANTITIES[q].resolution)]),
) as Record<Quantity, number>;

export function toSteps(quantity: Quantity, value: number): number {
  return Math.round(value * STEPS_PER_UNIT[quantity]);
}

export function fromSteps(quantity: Quantity, steps: number): number {
  return steps / STEPS_PER_UNIT[quantity];
}

/** Readings must be in ascending sequence order (the outbox's order). */
export function encodeBatch(gatewayId: string, readings: readonly Reading[]): ReadingBatch {
  if (readings.length === 0) throw new RangeError('a batch needs at least one reading');
  const meterIndex = new Map<string, number>();
  const previous: Partial<Record<Quantity, number>>[] = [];
  const columns: Partial<Record<Quantity, (number | null)[]>> = {};
  const ds: number[] = [];
  const t: number[] = [];
  const m: number[] = [];
  const bad: NonNullable<ReadingBatch['bad']> = [];

  readings.forEach((reading, row) => {
    const prev = readings[row - 1];
    if (prev && reading.seq <= prev.seq) throw new RangeError(`readings out of sequence order at row ${row}`);
    ds.push(prev ? Number(reading.seq - prev.seq) : 0);
    t.push(prev ? reading.t - prev.t : reading.t);
    let index = meterIndex.get(reading.meter);
    if (index === undefined) {
      index = meterIndex.size;
      meterIndex.set(reading.meter, index);
      previous.push({});
    }
    m.push(index);
    const last = previous[index]!;
    for (const q of QUANTITY_NAMES) {
      const value = reading.values[q];
      const quality = reading.quality?.[q];
      if (quality) bad.push([row, q, quality]);
      if (value === undefined && !columns[q]) continue;
      const column = (columns[q] ??= new Array<number | null>(row).fill(null));
      if (value === undefined || quality || !Number.isFinite(value)) {
        column.push(null);
        continue;
      }
      const steps = toSteps(q, value);
      column.push(last[q] === undefined ? steps : steps - last[q]!);
      last[q] = steps;
    }
    for (const q of QUANTITY_NAMES) {
      const column = columns[q];
      if (column && column.length === row) column.push(null);
    }
  });

  const batch: ReadingBatch = {
    v: SCHEMA_VERSION,
    gw: gatewayId,
    seq: formatSeq(readings[0]!.seq),
    meters: [...meterIndex.keys()],
    ds,
    t,
    m,
    q: columns,
  };
  if (bad.length) batch.bad = bad;
  return batch;
}

/** Inverse of encodeBatch; expects a batch that passed validateMessage. */
export function decodeBatch(batch: ReadingBatch): Reading[] {
  const readings: Reading[] = [];
  const previous: Partial<Record<Quantity, number>>[] = batch.meters.map(() => ({}));
  let seq = BigInt(batch.seq);
  let t = 0;
  const columns = QUANTITY_NAMES.filter((q) => batch.q[q]).map((q) => [q, batch.q[q]!] as const);
  for (let row = 0; row < batch.ds.length; row++) {
    seq += BigInt(batch.ds[row]!);
    t = row === 0 ? batch.t[0]! : t + batch.t[row]!;
    const meter = batch.m[row]!;
    const last = previous[meter]!;
    const values: Partial<Record<Quantity, number>> = {};
    for (const [q, column] of columns) {
      const delta = column[row];
      if (delta === null || delta === undefined) continue;
      const steps = last[q] === undefined ? delta : last[q]! + delta;
      last[q] = steps;
      values[q] = fromSteps(q, steps);
    }
    readings.push({ seq, meter: batch.meters[meter]!, t, values });
  }
  for (const [row, q, quality] of batch.bad ?? []) {
    (readings[row]!.quality ??= {})[q] = quality;
  }
  return readings;
}
