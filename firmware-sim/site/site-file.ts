// A site file: an enterprise in the registry's shape (protocol/registry.ts) plus a `sim`
// section saying how its plant behaves. YAML or JSON; checked whole at load, every problem
// named with file and field (firmware-sim/README.md documents each field).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { BUS_SCHEMAS, EnterpriseSchema, PROFILE_IDS, schemaIssues, type Enterprise, type FacilityKind } from '../../protocol/index.js';
import { simErrors } from '../errors.js';
import type { Parity } from '../modbus/line-timing.js';
import { hashSeed } from '../random.js';
import { FieldChecker } from './check.js';
import { DEFAULT_SOURCE_FILE } from './load-source.js';
import { checkScenarios, type ScenarioSpec } from './scenario-spec.js';

export type SiteBus =
  | { id: string; kind: 'tcp' | 'rtu-over-tcp'; host: string; port: number; baud?: number; parity?: Parity }
  | { id: string; kind: 'rtu'; path: string; baud: number; parity?: Parity; dataBits?: 7 | 8; stopBits?: 1 | 2 };

/** How one facility draws power (every field has a default by facility kind). */
export interface FacilitySim {
  /** Production: kW at the load data's peak. Treatment: running kW at full production. */
  ratedKw: number;
  /** Standby kW when stopped (treatment, total's own load uses otherKw). */
  baseKw: number;
  /** Relative noise on the load, ±. */
  noise: number;
  pf: number;
  /** Treatment: share of its load that follows production's level (0: fixed speed). */
  followsLoad: number;
  /** Treatment: starts this many minutes before production. */
  leadMin: number;
  /** Treatment: stops this many minutes after production. */
  lagMin: number;
  /** Total: load of everything not metered separately (offices, lighting, compressors), kW. */
  otherKw: number;
  /** Production: extra time shift of this facility's load curve. */
  shiftDays: number;
  shiftMinutes: number;
}

export interface SimSettings {
  seed: number;
  /** The site's local time, minutes east of UTC: load curves and nights follow it. */
  utcOffsetMin: number;
  nominalV: number;
  source: { file: string; shiftDays: number; shiftMinutes: number };
  facilities: Record<string, FacilitySim>;
  /** Import energy per meter id at the start of a run, kWh (default from the seed). */
  energyKwh: Record<string, number>;
  scenarios: ScenarioSpec[];
}

export interface Site extends Enterprise {
  file: string;
  buses: SiteBus[];
  sim: SimSettings;
}

const FACILITY_DEFAULTS: Record<FacilityKind, FacilitySim> = {
  production: { ratedKw: 200, baseKw: 0, noise: 0.03, pf: 0.88, followsLoad: 0, leadMin: 0, lagMin: 0, otherKw: 0, shiftDays: 0, shiftMinutes: 0 },
  treatment: { ratedKw: 40, baseKw: 0.3, noise: 0.04, pf: 0.82, followsLoad: 0.3, leadMin: 3, lagMin: 5, otherKw: 0, shiftDays: 0, shiftMinutes: 0 },
  total: { ratedKw: 0, baseKw: 0, noise: 0.05, pf: 0.9, followsLoad: 0, leadMin: 0, lagMin: 0, otherKw: 20, shiftDays: 0, shiftMinutes: 0 },
};
const SIM_FIELDS = ['seed', 'utcOffset', 'nominalV', 'source', 'facilities', 'energyKwh', 'scenarios'];
const SOURCE_FIELDS = ['file', 'shiftDays', 'shiftMinutes'];
const MAX_SHIFT_DAYS = 364;
const MAX_SHIFT_MIN = 1440;
/** A plausible initial meter reading when the site gives none, kWh. */
const ENERGY_SEED_RANGE_KWH = 50_000;

export function loadSite(file: string): Site {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw simErrors.error('TANDEM_SIM_SITE', `${file}: cannot read: ${(error as Error).message}`);
  }
  const doc = YAML.parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) throw simErrors.error('TANDEM_SIM_SITE', `${file}: not valid YAML/JSON: ${doc.errors[0].message}`);
  return parseSite(doc.toJS(), file);
}

/** Checks a parsed site; throws TANDEM_SIM_SITE naming the file and every wrong field. */
export function parseSite(source: unknown, file: string): Site {
  const problems = schemaIssues(EnterpriseSchema, source).map((i) => `${i.path || '(file)'}: ${i.message}`);
  if (problems.length > 0) fail(file, problems);
  const enterprise = source as Enterprise & { sim?: unknown };
  const c = new FieldChecker();
  const buses = checkBuses(c, enterprise.gateway.buses);
  checkLinks(c, enterprise, buses);
  const sim = checkSim(c, enterprise, file);
  if (c.problems.length > 0) fail(file, c.problems);
  return { ...enterprise, file, buses, sim };
}

function fail(file: string, problems: string[]): never {
  throw simErrors.error('TANDEM_SIM_SITE', problems.map((p) => `${file}: ${p}`).join('\n'), { file, problems });
}

function checkBuses(c: FieldChecker, buses: Record<string, unknown>[]): SiteBus[] {
  return buses.flatMap((bus, i) => {
    const at = `gateway.buses[${i}]`;
    const schema = BUS_SCHEMAS[bus.kind as keyof typeof BUS_SCHEMAS];
    if (!schema) return c.fail(`${at}.kind`, `must be one of ${Object.keys(BUS_SCHEMAS).join(', ')}, got ${JSON.stringify(bus.kind)}`) ?? [];
    // The registry's buses are the agent's without their meters (meters name their bus).
    const issues = schemaIssues(schema, { ...bus, meters: [] }, at);
    for (const issue of issues) c.fail(issue.path, issue.message);
    return issues.length ? [] : [bus as unknown as SiteBus];
  });
}

function checkLinks(c: FieldChecker, e: Enterprise, buses: SiteBus[]): void {
  const kindOf = new Map(e.facilities.map((f) => [f.id, f.kind]));
  const unique = (ids: string[], what: string) => ids.forEach((id, i) => ids.indexOf(id) !== i && c.fail(`${what}[${i}].id`, `'${id}' appears twice`));
  unique(e.facilities.map((f) => f.id), 'facilities');
  unique(e.meters.map((m) => m.id), 'meters');
  unique(buses.map((b) => b.id), 'gateway.buses');
  e.facilities.forEach((f, i) => {
    if (f.serves && f.kind !== 'treatment') c.fail(`facilities[${i}].serves`, `only a treatment facility serves production (this one is ${f.kind})`);
    f.serves?.forEach((id, k) => kindOf.get(id) !== 'production' && c.fail(`facilities[${i}].serves[${k}]`, `'${id}' is not a production facility of this site`));
    if (f.kind === 'treatment' && !f.serves?.length) c.fail(`facilities[${i}].serves`, 'a treatment facility must serve at least one production facility');
  });
  const units = new Set<string>();
  e.meters.forEach((m, i) => {
    if (!kindOf.has(m.facility)) c.fail(`meters[${i}].facility`, `'${m.facility}' is not a facility of this site`);
    if (!buses.some((b) => b.id === m.bus)) c.fail(`meters[${i}].bus`, `'${m.bus}' is not one of gateway.buses`);
    if (!PROFILE_IDS.includes(m.profile)) c.fail(`meters[${i}].profile`, `unknown profile '${m.profile}' (known: ${PROFILE_IDS.join(', ')})`);
    if (m.unit < 1) c.fail(`meters[${i}].unit`, 'unit 0 is broadcast; use 1..247');
    const key = `${m.bus}/${m.unit}`;
    if (units.has(key)) c.fail(`meters[${i}].unit`, `unit ${m.unit} is already used on bus '${m.bus}'`);
    units.add(key);
  });
}

function checkSim(c: FieldChecker, e: Enterprise & { sim?: unknown }, file: string): SimSettings {
  const s = c.object(e.sim ?? {}, 'sim', SIM_FIELDS) ?? {};
  const src = c.object(s.source ?? {}, 'sim.source', SOURCE_FIELDS) ?? {};
  const sourceFile = src.file === undefined ? DEFAULT_SOURCE_FILE : path.resolve(path.dirname(file), c.string(src.file, 'sim.source.file') ?? '');
  const facilities: Record<string, FacilitySim> = {};
  const rawFacilities = c.object(s.facilities ?? {}, 'sim.facilities', e.facilities.map((f) => f.id)) ?? {};
  for (const f of e.facilities) facilities[f.id] = checkFacilitySim(c, rawFacilities[f.id], `sim.facilities.${f.id}`, FACILITY_DEFAULTS[f.kind]);
  const seed = c.integer(s.seed, 'sim.seed', 0, 0xffffffff, hashSeed(e.id));
  const rawEnergy = c.object(s.energyKwh ?? {}, 'sim.energyKwh', e.meters.map((m) => m.id)) ?? {};
  const energyKwh = Object.fromEntries(
    e.meters.map((m) => [m.id, c.number(rawEnergy[m.id], `sim.energyKwh.${m.id}`, 0, 1e12, Math.round(hashSeed(seed, m.id) % ENERGY_SEED_RANGE_KWH))]),
  );
  return {
    seed,
    utcOffsetMin: checkUtcOffset(c, s.utcOffset),
    nominalV: c.number(s.nominalV, 'sim.nominalV', 50, 1000, 230),
    source: {
      file: sourceFile,
      shiftDays: c.integer(src.shiftDays, 'sim.source.shiftDays', 0, MAX_SHIFT_DAYS, 0),
      shiftMinutes: c.integer(src.shiftMinutes, 'sim.source.shiftMinutes', -MAX_SHIFT_MIN, MAX_SHIFT_MIN, 0),
    },
    facilities,
    energyKwh,
    scenarios: checkScenarios(c, s.scenarios ?? [], e),
  };
}

function checkFacilitySim(c: FieldChecker, value: unknown, at: string, d: FacilitySim): FacilitySim {
  const f = c.object(value ?? {}, at, Object.keys(d)) ?? {};
  return {
    ratedKw: c.number(f.ratedKw, `${at}.ratedKw`, 0, 1e6, d.ratedKw),
    baseKw: c.number(f.baseKw, `${at}.baseKw`, 0, 1e6, d.baseKw),
    noise: c.number(f.noise, `${at}.noise`, 0, 0.5, d.noise),
    pf: c.number(f.pf, `${at}.pf`, 0.05, 1, d.pf),
    followsLoad: c.number(f.followsLoad, `${at}.followsLoad`, 0, 1, d.followsLoad),
    leadMin: c.number(f.leadMin, `${at}.leadMin`, 0, 120, d.leadMin),
    lagMin: c.number(f.lagMin, `${at}.lagMin`, 0, 120, d.lagMin),
    otherKw: c.number(f.otherKw, `${at}.otherKw`, 0, 1e6, d.otherKw),
    shiftDays: c.integer(f.shiftDays, `${at}.shiftDays`, 0, MAX_SHIFT_DAYS, d.shiftDays),
    shiftMinutes: c.integer(f.shiftMinutes, `${at}.shiftMinutes`, -MAX_SHIFT_MIN, MAX_SHIFT_MIN, d.shiftMinutes),
  };
}

/** "+08:00" → 480. */
function checkUtcOffset(c: FieldChecker, value: unknown): number {
  if (value === undefined) return 0;
  const m = typeof value === 'string' ? /^([+-])(\d{2}):(\d{2})$/.exec(value) : null;
  if (!m || Number(m[2]) > 14 || Number(m[3]) > 59) return c.fail('sim.utcOffset', `${JSON.stringify(value)} is not an offset like "+08:00"`) ?? 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}
