// A profile is a meter model's register map, kept as data (protocol/profiles/*.json) and
// checked here once at load, so a typo fails at start with the file and field named.
import { defineErrors } from '../lib/errors.js';
import { DEFAULT_ORDER, VALUE_TYPES, WORD_ORDERS, decode, encode, registerCount, type ValueType, type WordOrder } from './codec.js';
import { QUANTITIES, QUANTITY_NAMES, isQuantity, type Quantity } from './quantities.js';

export const profileErrors = defineErrors({
  TANDEM_PROFILE_INVALID: 'a meter profile breaks the profile schema; the message lists every problem with file and field',
  TANDEM_PROFILE_UNKNOWN: 'no profile has the requested id; the message lists the known ids',
});

/** Most registers one FC 03/04 request may ask for (MODBUS Application Protocol v1.1b3 §6.3, §6.4). */
export const MAX_REGISTERS_PER_READ = 125;
/** Serial slave addresses a unit may have (MODBUS over Serial Line v1.02 §2.2). */
const UNIT_MIN = 1;
const UNIT_MAX = 247;
/** Serial line speeds a profile may default to, in bit/s. */
const BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200];
const PARAMS = ['pt', 'ct'] as const;
type Param = (typeof PARAMS)[number];
/** A profile point measures a quantity; single flags ('bit') are not quantities. */
const POINT_TYPES = VALUE_TYPES.filter((t) => t !== 'bit');

export interface ProfilePoint {
  fc: 3 | 4;
  address: number;
  type: ValueType;
  order: WordOrder;
  scale: number;
  offset: number;
  /** Ratios the scaled value is multiplied by, e.g. an Acrel meter reporting secondary-side values. */
  multiply: Param[];
  unit: string;
  transform?: 'schneider-pf';
  uncertain?: string;
}

export interface SerialDefaults {
  baud: number;
  parity: 'none' | 'even' | 'odd';
  dataBits: 7 | 8;
  stopBits: 1 | 2;
  unit: number;
  uncertain?: string;
}

export interface Profile {
  id: string;
  name: string;
  maker: string;
  sources: string[];
  serial: SerialDefaults;
  params: { pt?: { default: number; address?: number }; ct?: { default: number; address?: number } };
  /** default MAX_REGISTERS_PER_READ */
  maxRegistersPerRead: number;
  points: Partial<Record<Quantity, ProfilePoint>>;
  notes: string[];
}

export type ProfileParams = { pt?: number; ct?: number };

// ---- validation ---------------------------------------------------------------------------

type Obj = Record<string, unknown>;

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
}

/** Collects every problem of one file, so one run shows them all. */
class Checker {
  readonly problems: string[] = [];
  constructor(readonly file: string) {}

  fail(path: string, message: string): undefined {
    this.problems.push(`${this.file}: ${path}: ${message}`);
    return undefined;
  }

  object(value: unknown, path: string, allowed: readonly string[], what = 'field'): Obj | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return this.fail(path, `${show(value)} is not an object`);
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.fail(path === '(file)' ? key : `${path}.${key}`, `unknown ${what} (known: ${allowed.join(', ')})`);
    }
    return value as Obj;
  }

  string(value: unknown, path: string): string | undefined {
    return typeof value === 'string' && value.trim() !== '' ? value : this.fail(path, `${show(value)} is not a non-empty string`);
  }

  strings(value: unknown, path: string, minItems: number): string[] | undefined {
    if (!Array.isArray(value) || value.length < minItems) return this.fail(path, `${show(value)} is not a list of at least ${minItems} strings`);
    const ok = value.every((item, i) => this.string(item, `${path}[${i}]`) !== undefined);
    return ok ? (value as string[]) : undefined;
  }

  oneOf<T>(value: unknown, path: string, choices: readonly T[]): T | undefined {
    return choices.includes(value as T) ? (value as T) : this.fail(path, `${show(value)} is not one of ${choices.join(', ')}`);
  }

  number(value: unknown, path: string, test: (n: number) => boolean, wanted: string): number | undefined {
    return typeof value === 'number' && test(value) ? value : this.fail(path, `${show(value)} is not ${wanted}`);
  }

  /** A register address: 0..65535, written as a number or a hex string like "0x2006". */
  address(value: unknown, path: string): number | undefined {
    const parsed = typeof value === 'string' && /^0x[0-9a-f]{1,4}$/i.test(value) ? Number.parseInt(value, 16) : value;
    return this.number(parsed, path, (a) => Number.isInteger(a) && a >= 0 && a <= 0xffff, 'an address 0..65535 (number or hex string like "0x2006")');
  }
}

const isPositive = (n: number) => Number.isFinite(n) && n > 0;

function checkSerial(c: Checker, value: unknown): SerialDefaults | undefined {
  const s = c.object(value, 'serial', ['baud', 'parity', 'dataBits', 'stopBits', 'unit', 'uncertain']);
  if (!s) return undefined;
  const serial = {
    baud: c.oneOf(s.baud, 'serial.baud', BAUD_RATES),
    parity: c.oneOf(s.parity, 'serial.parity', ['none', 'even', 'odd'] as const),
    dataBits: c.oneOf(s.dataBits, 'serial.dataBits', [7, 8] as const),
    stopBits: c.oneOf(s.stopBits, 'serial.stopBits', [1, 2] as const),
    unit: c.number(s.unit, 'serial.unit', (u) => Number.isInteger(u) && u >= UNIT_MIN && u <= UNIT_MAX, `a unit id ${UNIT_MIN}..${UNIT_MAX}`),
    ...(s.uncertain !== undefined && { uncertain: c.string(s.uncertain, 'serial.uncertain') }),
  };
  return Object.values(serial).includes(undefined) ? undefined : (serial as SerialDefaults);
}

function checkParams(c: Checker, value: unknown): Profile['params'] | undefined {
  const p = c.object(value ?? {}, 'params', PARAMS);
  if (!p) return undefined;
  const params: Profile['params'] = {};
  for (const name of PARAMS) {
    if (p[name] === undefined) continue;
    const path = `params.${name}`;
    const spec = c.object(p[name], path, ['default', 'address']);
    if (!spec) continue;
    const def = c.number(spec.default, `${path}.default`, isPositive, 'a ratio > 0');
    const address = spec.address === undefined ? undefined : c.address(spec.address, `${path}.address`);
    if (def !== undefined) params[name] = { default: def, ...(address !== undefined && { address }) };
  }
  return params;
}

const POINT_FIELDS = ['fc', 'address', 'type', 'order', 'count', 'scale', 'offset', 'multiply', 'unit', 'transform', 'uncertain'];

function checkPoint(c: Checker, q: Quantity, value: unknown, defaultOrder: WordOrder, params: Profile['params']): ProfilePoint | undefined {
  const path = `points.${q}`;
  const p = c.object(value, path, POINT_FIELDS);
  if (!p) return undefined;
  const fc = c.oneOf(p.fc, `${path}.fc`, [3, 4] as const);
  const type = c.oneOf(p.type, `${path}.type`, POINT_TYPES);
  const order = p.order === undefined ? defaultOrder : c.oneOf(p.order, `${path}.order`, WORD_ORDERS);
  let address = c.address(p.address, `${path}.address`);
  if (type !== undefined && p.count !== undefined && p.count !== registerCount(type)) {
    c.fail(`${path}.count`, `${show(p.count)} does not match ${type}, which takes ${registerCount(type)} registers`);
  }
  if (address !== undefined && type !== undefined && address + registerCount(type) - 1 > 0xffff) {
    address = c.fail(`${path}.address`, `${type} at ${address} runs past register 65535`);
  }
  const scale = p.scale === undefined ? 1 : c.number(p.scale, `${path}.scale`, isPositive, 'a number > 0');
  const offset = p.offset === undefined ? 0 : c.number(p.offset, `${path}.offset`, Number.isFinite, 'a finite number');
  const multiply = checkMultiply(c, p.multiply ?? [], `${path}.multiply`, params);
  const unit = p.unit === QUANTITIES[q].unit ? p.unit : c.fail(`${path}.unit`, `${show(p.unit)} is not ${show(QUANTITIES[q].unit)}, the unit of ${q}`);
  let transform = p.transform === undefined ? undefined : c.oneOf(p.transform, `${path}.transform`, ['schneider-pf'] as const);
  if (transform && q !== 'pf') transform = c.fail(`${path}.transform`, `${show(transform)} only applies to pf`);
  const uncertain = p.uncertain === undefined ? undefined : c.string(p.uncertain, `${path}.uncertain`);
  const point = { fc, address, type, order, scale, offset, multiply, unit };
  if (Object.values(point).includes(undefined)) return undefined;
  return { ...(point as ProfilePoint), ...(transform && { transform }), ...(uncertain && { uncertain }) };
}

function checkMultiply(c: Checker, value: unknown, path: string, params: Profile['params']): Param[] | undefined {
  if (!Array.isArray(value)) return c.fail(path, `${show(value)} is not a list of ${PARAMS.join(', ')}`);
  const before = c.problems.length;
  value.forEach((item, i) => {
    const name = c.oneOf(item, `${path}[${i}]`, PARAMS);
    if (name === undefined) return;
    if (params[name] === undefined) c.fail(`${path}[${i}]`, `multiplies by ${name}, which params does not declare`);
    else if (value.indexOf(name) !== i) c.fail(`${path}[${i}]`, `${name} is listed twice`);
  });
  return c.problems.length === before ? (value as Param[]) : undefined;
}

/** Points of one function code must not share registers: one would read the other's value. */
function checkOverlaps(c: Checker, points: Partial<Record<Quantity, ProfilePoint>>): void {
  const placed = QUANTITY_NAMES.flatMap((q) => {
    const p = points[q];
    return p ? [{ q, fc: p.fc, first: p.address, last: p.address + registerCount(p.type) - 1 }] : [];
  });
  placed.forEach((b, j) => {
    for (const a of placed.slice(0, j)) {
      if (a.fc === b.fc && a.first <= b.last && b.first <= a.last) {
        c.fail(`points.${b.q}.address`, `registers ${b.first}..${b.last} overlap points.${a.q} (fc ${a.fc}, registers ${a.first}..${a.last})`);
      }
    }
  });
}

function invalid(c: Checker) {
  return profileErrors.error('TANDEM_PROFILE_INVALID', c.problems.join('\n'), { file: c.file, problems: c.problems });
}

const PROFILE_FIELDS = ['id', 'name', 'maker', 'sources', 'serial', 'defaultOrder', 'params', 'maxRegistersPerRead', 'points', 'notes'];

/** Checks a parsed profile file; throws TANDEM_PROFILE_INVALID listing every problem. */
export function validateProfile(source: unknown, file: string): Profile {
  const c = new Checker(file);
  const root = c.object(source, '(file)', PROFILE_FIELDS);
  if (!root) throw invalid(c);
  const id = typeof root.id === 'string' && /^[a-z0-9][a-z0-9-]*$/.test(root.id) ? root.id : c.fail('id', `${show(root.id)} is not a lower-case id like 'dtsu666'`);
  const name = c.string(root.name, 'name');
  const maker = c.string(root.maker, 'maker');
  const sources = c.strings(root.sources, 'sources', 1);
  const notes = root.notes === undefined ? [] : c.strings(root.notes, 'notes', 0);
  const serial = checkSerial(c, root.serial);
  const params = checkParams(c, root.params) ?? {};
  const defaultOrder = root.defaultOrder === undefined ? DEFAULT_ORDER : (c.oneOf(root.defaultOrder, 'defaultOrder', WORD_ORDERS) ?? DEFAULT_ORDER);
  const maxRegistersPerRead =
    root.maxRegistersPerRead === undefined
      ? MAX_REGISTERS_PER_READ
      : c.number(root.maxRegistersPerRead, 'maxRegistersPerRead', (n) => Number.isInteger(n) && n >= 4 && n <= MAX_REGISTERS_PER_READ, `an integer 4..${MAX_REGISTERS_PER_READ}`);
  const points: Partial<Record<Quantity, ProfilePoint>> = {};
  const rawPoints = c.object(root.points, 'points', QUANTITY_NAMES, 'quantity');
  for (const [q, value] of Object.entries(rawPoints ?? {})) {
    if (!isQuantity(q)) continue; // already reported as an unknown quantity
    const point = checkPoint(c, q, value, defaultOrder, params);
    if (point) points[q] = point;
  }
  if (rawPoints && Object.keys(rawPoints).length === 0) c.fail('points', 'a profile needs at least one point');
  checkOverlaps(c, points);
  if (c.problems.length > 0) throw invalid(c);
  return { id, name, maker, sources, serial, params, maxRegistersPerRead, points, notes } as Profile;
}

// ---- point values -------------------------------------------------------------------------

/**
 * Schneider's four-quadrant PF register (iEM3000, PM5000 user manuals, "power factor register
 * format"): the register runs −2…+2 so it can carry the quadrant; the PF itself is
 * 2 − r above 1, −2 − r below −1, r otherwise. Beyond ±2 it is no PF at all.
 */
function schneiderPf(register: number): number {
  if (Math.abs(register) > 2) return Number.NaN;
  if (register > 1) return 2 - register;
  if (register < -1) return -2 - register;
  return register;
}

/** The ratios to decode with: configured (or read from the meter) where given, else the profile's defaults. */
export function profileParams(profile: Profile, given: ProfileParams = {}): ProfileParams {
  return { pt: given.pt ?? profile.params.pt?.default, ct: given.ct ?? profile.params.ct?.default };
}

function ratio(point: ProfilePoint, params: ProfileParams | undefined): number {
  let product = 1;
  for (const name of point.multiply) {
    // A ratio nobody gave is 1, a meter wired without that transformer (see profileParams).
    const r = params?.[name] ?? 1;
    if (!isPositive(r)) throw new RangeError(`${name}: ${r} is not a ratio > 0`);
    product *= r;
  }
  return product;
}

/** A point's registers as an SI value in the unit of its quantity (quantities.ts). */
export function decodePoint(point: ProfilePoint, registers: ArrayLike<number>, params?: ProfileParams): number {
  const value = decode(registers, point);
  return (point.transform === 'schneider-pf' ? schneiderPf(value) : value) * ratio(point, params);
}

/**
 * The registers a meter would send for `value` (the simulator's side of decodePoint). A PF alone
 * does not say lead or lag, so 'schneider-pf' sends the register equal to the PF, which is how
 * the manuals encode an importing inductive (lagging) load, the usual case for motors and fans.
 */
export function encodePoint(point: ProfilePoint, value: number, params?: ProfileParams): number[] {
  const primary = value / ratio(point, params);
  if (point.transform === 'schneider-pf' && Math.abs(primary) > 1) throw new RangeError(`pf: ${value} is outside -1..1`);
  return encode(primary, point);
}
