// Where a profile's values sit in a meter's register space, and which reads the meter
// answers. Real meters hold more registers than a profile maps (per-phase powers, reactive
// energy…) between the mapped ones, so short holes read as 0; a read reaching outside every
// block is refused with "illegal data address", as a real meter refuses it.
import { encodePoint, encodeRaw, INT_RANGES, registerCount, type Profile, type ProfilePoint, type ProfileParams, type Quantity } from '../../protocol/index.js';
import { EXCEPTION, ModbusException } from './faults.js';

/** Unmapped registers between two mapped ones that still read as 0 (the meter's other registers). */
export const FILLED_GAP_REGISTERS = 48;
/** FC 03/04 quantity limits (MODBUS Application Protocol v1.1b3 §6.3, §6.4). */
const MIN_READ = 1;
const MAX_READ = 125;


interface Placed {
  name: Quantity | 'pt' | 'ct';
  point: ProfilePoint;
  first: number;
  last: number;
}

interface Block {
  first: number;
  last: number;
}

export interface RegisterImage {
  /** The points of one function code, by address. */
  readonly points: Map<3 | 4, Placed[]>;
  readonly blocks: Map<3 | 4, Block[]>;
}

const paramPoint = (address: number): ProfilePoint => ({ fc: 3, address, type: 'uint16', order: 'ABCD', scale: 1, offset: 0, multiply: [], unit: '' });

const images = new WeakMap<Profile, RegisterImage>();

export function registerImage(profile: Profile): RegisterImage {
  const cached = images.get(profile);
  if (cached) return cached;
  const placed: Placed[] = Object.entries(profile.points).map(([q, point]) => ({ name: q as Quantity, point, first: point.address, last: point.address + registerCount(point.type) - 1 }));
  for (const name of ['pt', 'ct'] as const) {
    const address = profile.params[name]?.address;
    if (address !== undefined) placed.push({ name, point: paramPoint(address), first: address, last: address });
  }
  const points = new Map<3 | 4, Placed[]>();
  const blocks = new Map<3 | 4, Block[]>();
  for (const fc of [3, 4] as const) {
    const list = placed.filter((p) => p.point.fc === fc).sort((a, b) => a.first - b.first);
    if (list.length === 0) continue;
    points.set(fc, list);
    const merged: Block[] = [];
    for (const p of list) {
      const last = merged.at(-1);
      if (last && p.first - last.last - 1 <= FILLED_GAP_REGISTERS) last.last = Math.max(last.last, p.last);
      else merged.push({ first: p.first, last: p.last });
    }
    blocks.set(fc, merged);
  }
  const image = { points, blocks };
  images.set(profile, image);
  return image;
}

/** Throws the exception a real meter answers for a read it cannot serve. */
export function checkRead(image: RegisterImage, fc: number, address: number, count: number): void {
  const blocks = image.blocks.get(fc as 3 | 4);
  if (!blocks) throw new ModbusException(EXCEPTION.ILLEGAL_FUNCTION, `function code ${fc} is not served by this meter`);
  if (!Number.isInteger(count) || count < MIN_READ || count > MAX_READ) {
    throw new ModbusException(EXCEPTION.ILLEGAL_DATA_VALUE, `quantity ${count} is outside ${MIN_READ}..${MAX_READ}`);
  }
  const last = address + count - 1;
  if (!blocks.some((b) => address >= b.first && last <= b.last)) {
    throw new ModbusException(EXCEPTION.ILLEGAL_DATA_ADDRESS, `registers ${address}..${last} (fc ${fc}) are not all in the meter's register map`);
  }
}

function encodeSaturated(point: ProfilePoint, value: number, params: ProfileParams): number[] {
  try {
    return encodePoint(point, value, params);
  } catch (error) {
    // A value the register type cannot hold reads as the type's limit, as a meter's display saturates.
    const limits = point.type in INT_RANGES ? INT_RANGES[point.type as keyof typeof INT_RANGES] : undefined;
    if (!(error instanceof RangeError) || !limits) throw error;
    return encodeRaw(value < 0 ? limits[0] : limits[1], point.type, point.order);
  }
}

/** The `count` registers from `address`, each mapped point holding its value, holes 0. */
export function readImage(
  image: RegisterImage,
  fc: number,
  address: number,
  count: number,
  values: Partial<Record<Quantity, number>>,
  params: Required<ProfileParams>,
): number[] {
  checkRead(image, fc, address, count);
  const out = new Array<number>(count).fill(0);
  const end = address + count;
  for (const p of image.points.get(fc as 3 | 4) ?? []) {
    if (p.last < address || p.first >= end) continue;
    const value = p.name === 'pt' || p.name === 'ct' ? params[p.name] : values[p.name];
    if (value === undefined) continue;
    const words = encodeSaturated(p.point, value, params);
    for (let k = 0; k < words.length; k++) {
      const at = p.first + k - address;
      if (at >= 0 && at < count) out[at] = words[k];
    }
  }
  return out;
}
