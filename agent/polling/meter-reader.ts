// Reads one meter once: its blocks in turn, each with retries, split when the meter answers
// "illegal data address", decoded with the profile, every value flagged. A meter that
// answers nothing gives no reading at all, never an old one with a new stamp.
import { decodePoint, QUANTITY_NAMES, registerCount, type BadQuality, type MeterConfig, type Profile, type ProfilePoint, type Quantity } from '../../protocol/index.js';
import { exceptionCodeOf, hasCode, ILLEGAL_DATA_ADDRESS, isNoAnswer, type Transport } from '../modbus/index.js';
import { planBlocks, type Block } from './blocks.js';
import { isPlausible } from './plausibility.js';
import type { PolledReading } from './types.js';

/** Unused registers a merged read may span when the bus does not say (messages.ts gapFill). */
export const DEFAULT_GAP_FILL = 10;
export const DEFAULT_RETRIES = 1;

/** Refused registers are asked again after this long: a meter may have refused them while booting, or been replaced. */
const RELEARN_REFUSED_MS = 3_600_000;

/** A meter's register map as this bus reads it; learns which registers the meter refuses. */
export class MeterPlan {
  readonly unsupported = new Set<Quantity>();
  private readonly refused = new Set<string>();
  private blocksCache: Block[] | undefined;
  private learnedT: number | undefined;

  constructor(
    readonly meter: MeterConfig,
    readonly profile: Profile,
    private readonly gapFill: number,
  ) {}

  get blocks(): Block[] {
    const points = QUANTITY_NAMES.flatMap((q): [Quantity, ProfilePoint][] => {
      const p = this.profile.points[q];
      return p && !this.unsupported.has(q) ? [[q, p]] : [];
    });
    this.blocksCache ??= planBlocks(points, { gapFill: this.gapFill, maxRegisters: this.profile.maxRegistersPerRead, refused: (fc, r) => this.refused.has(`${fc}:${r}`) });
    return this.blocksCache;
  }

  /** Registers no later block may include (until relearned). */
  refuse(fc: number, first: number, count: number, t: number): void {
    if (count <= 0) return;
    for (let r = first; r < first + count; r++) this.refused.add(`${fc}:${r}`);
    this.blocksCache = undefined;
    this.learnedT ??= t;
  }

  markUnsupported(quantity: Quantity, t: number): void {
    const p = this.profile.points[quantity]!;
    this.unsupported.add(quantity);
    this.refuse(p.fc, p.address, registerCount(p.type), t);
  }

  /** Forgets what the meter refused once it is RELEARN_REFUSED_MS old, so the next read asks again. */
  relearnIfStale(t: number): void {
    if (this.learnedT === undefined || t - this.learnedT < RELEARN_REFUSED_MS) return;
    this.unsupported.clear();
    this.refused.clear();
    this.blocksCache = undefined;
    this.learnedT = undefined;
  }
}

export interface ReadOutcome {
  /** absent when the meter answered nothing usable */
  reading?: PolledReading;
  /** the first failure, for health and logs */
  error?: Error;
  /** quantities found unsupported by this read */
  newlyUnsupported: Quantity[];
}

/** Whether the failure is the port or socket, not the meter: the scheduler reconnects instead. */
export function isBusFailure(error: unknown): boolean {
  return hasCode(error, 'TANDEM_MODBUS_DISCONNECTED');
}

/** Worth asking again: nothing came back, or it came back mangled. */
function isTransient(error: unknown): boolean {
  return isNoAnswer(error) || hasCode(error, 'TANDEM_MODBUS_BAD_FRAME');
}

export async function readMeter(transport: Transport, plan: MeterPlan, retries: number, now: () => number): Promise<ReadOutcome> {
  const values: Partial<Record<Quantity, number>> = {};
  const quality: Partial<Record<Quantity, BadQuality>> = {};
  const newlyUnsupported: Quantity[] = [];
  let t: number | undefined;
  let firstError: Error | undefined;
  const { pt, ct } = plan.meter;

  const readBlock = async (block: Block): Promise<void> => {
    try {
      const registers = await withRetries(() => transport.readRegisters(plan.meter.unit, block.fc, block.address, block.count), retries);
      t ??= now();
      for (const { quantity, point, offset, count } of block.points) {
        const value = decodePoint(point, registers.slice(offset, offset + count), { pt, ct });
        if (isPlausible(quantity, value)) values[quantity] = value;
        else quality[quantity] = 'invalid';
      }
    } catch (error) {
      if (isBusFailure(error)) throw error;
      if (exceptionCodeOf(error) === ILLEGAL_DATA_ADDRESS) return splitRefused(block);
      firstError ??= error as Error;
      for (const { quantity } of block.points) quality[quantity] = 'error';
      // A meter that does not answer its first block is silent: spare the bus its other blocks.
      if (t === undefined && isTransient(error)) throw new SilentMeter(error as Error);
    }
  };

  // MODBUS Application Protocol §7: exception 02 means some register of the request does not
  // exist. Read each point alone to find which; if every point answers, the gap was the problem.
  const splitRefused = async (block: Block): Promise<void> => {
    if (block.points.length === 1) {
      const { quantity } = block.points[0]!;
      plan.markUnsupported(quantity, now());
      newlyUnsupported.push(quantity);
      return;
    }
    const before = newlyUnsupported.length;
    for (const bp of block.points) await readBlock({ fc: block.fc, address: bp.point.address, count: bp.count, points: [{ ...bp, offset: 0 }] });
    if (newlyUnsupported.length > before) return;
    block.points.slice(1).forEach((bp, i) => {
      const gapStart = block.address + block.points[i]!.offset + block.points[i]!.count;
      plan.refuse(block.fc, gapStart, block.address + bp.offset - gapStart, now());
    });
  };

  plan.relearnIfStale(now());
  try {
    for (const block of plan.blocks) await readBlock(block);
  } catch (error) {
    if (!(error instanceof SilentMeter)) throw error;
    return { error: error.cause, newlyUnsupported };
  }
  for (const q of plan.unsupported) quality[q] = 'unsupported';
  if (t === undefined) {
    return { error: firstError ?? new Error(`unit ${plan.meter.unit}: no register gave a usable value`), newlyUnsupported };
  }
  const reading: PolledReading = { meter: plan.meter.id, t, values };
  if (Object.keys(quality).length > 0) reading.quality = quality;
  return { reading, ...(firstError && { error: firstError }), newlyUnsupported };
}

class SilentMeter extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}

async function withRetries<T>(attempt: () => Promise<T>, retries: number): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (i >= retries || !isTransient(error)) throw error;
    }
  }
}
