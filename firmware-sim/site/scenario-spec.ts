// Scheduled scenarios of a site file, checked, and placed on the clock of a run.
import type { Enterprise } from '../../protocol/index.js';
import { parseFault, type Fault } from '../meter/faults.js';
import { FieldChecker, show } from './check.js';
import { KINDS, SCENARIO_KINDS, isProcessKind, type ScenarioKind } from './scenario-kinds.js';

const MIN_MS = 60_000;
const DAY_MIN = 1440;
const MAX_DAY = 3660;

/** When a scenario begins: a day of the run at a local time, minutes after the run starts, or an instant. */
export type ScenarioStart = { day: number; atMin: number } | { afterMin: number } | { from: number };

export interface ScenarioSpec {
  id: string;
  kind: ScenarioKind;
  /** Treatment or production facility it acts on. */
  facility?: string;
  /** Orders: the production facilities they bind (default all). */
  facilities?: string[];
  meter?: string;
  start: ScenarioStart;
  /** Length in minutes; undefined: until cleared (run-time scenarios only). */
  minutes?: number;
  /** A declared window (notice, 报备) covering it, with this reason. */
  notice?: string;
  params: Record<string, number | boolean>;
}

const FIELDS = ['id', 'kind', 'facility', 'facilities', 'meter', 'day', 'at', 'afterMin', 'from', 'to', 'minutes', 'notice', 'params'];

export function checkScenarios(c: FieldChecker, value: unknown, e: Enterprise): ScenarioSpec[] {
  if (!Array.isArray(value)) return c.fail('sim.scenarios', `${show(value)} is not a list`) ?? [];
  const specs = value.flatMap((raw, i) => {
    const spec = checkScenario(c, raw, `sim.scenarios[${i}]`, e, i);
    return spec ? [spec] : [];
  });
  specs.forEach((s, i) => specs.findIndex((o) => o.id === s.id) !== i && c.fail(`sim.scenarios[${i}].id`, `'${s.id}' appears twice`));
  return specs;
}

export function checkScenario(c: FieldChecker, raw: unknown, at: string, e: Enterprise, index: number): ScenarioSpec | undefined {
  const s = c.object(raw, at, FIELDS);
  if (!s) return undefined;
  const kind = SCENARIO_KINDS.includes(s.kind as ScenarioKind) ? (s.kind as ScenarioKind) : c.fail(`${at}.kind`, `${show(s.kind)} is not one of ${SCENARIO_KINDS.join(', ')}`);
  if (!kind) return undefined;
  const info = KINDS[kind];
  const facilityKind = new Map(e.facilities.map((f) => [f.id, f.kind]));
  const spec: ScenarioSpec = { id: typeof s.id === 'string' ? s.id : `${kind}-${index + 1}`, kind, start: { afterMin: 0 }, params: {} };
  if (info.target === 'treatment' || info.target === 'production') {
    if (facilityKind.get(String(s.facility)) !== info.target) c.fail(`${at}.facility`, `${kind} needs a ${info.target} facility of this site, got ${show(s.facility)}`);
    else spec.facility = String(s.facility);
  } else if (info.target === 'meter') {
    if (!e.meters.some((m) => m.id === s.meter)) c.fail(`${at}.meter`, `${kind} needs a meter id of this site, got ${show(s.meter)}`);
    else spec.meter = String(s.meter);
  } else if (s.facilities !== undefined) {
    const list = Array.isArray(s.facilities) ? s.facilities : [];
    if (list.length === 0 || list.some((f) => facilityKind.get(String(f)) !== 'production')) c.fail(`${at}.facilities`, 'must list production facilities of this site');
    else spec.facilities = list.map(String);
  }
  spec.params = checkParams(c, kind, s.params, `${at}.params`);
  const start = checkStart(c, s, at);
  if (start) spec.start = start;
  const minutes = checkLength(c, s, at, start);
  if (minutes !== undefined) spec.minutes = minutes;
  if (s.notice !== undefined) {
    if (s.notice === true) spec.notice = `declared ${kind}`;
    else if (typeof s.notice === 'string' && s.notice.trim()) spec.notice = s.notice;
    else if (s.notice !== false) c.fail(`${at}.notice`, `${show(s.notice)} is not true, false or a reason`);
  }
  return spec;
}

/** A scenario's parameters with its kind's defaults; a meter fault's are checked by parseFault. */
export function checkParams(c: FieldChecker, kind: ScenarioKind, raw: unknown, at: string): Record<string, number | boolean> {
  const defaults = KINDS[kind].params;
  const given = c.object(raw ?? {}, at, Object.keys(defaults)) ?? {};
  const params: Record<string, number | boolean> = { ...defaults };
  for (const [name, fallback] of Object.entries(defaults)) {
    params[name] = typeof fallback === 'boolean' ? c.boolean(given[name], `${at}.${name}`, fallback) : c.number(given[name], `${at}.${name}`, 0, 1e6, fallback);
  }
  if (!isProcessKind(kind)) {
    const fault = parseFault(kind, params);
    if (typeof fault === 'string') c.fail(at, fault);
  }
  if (kind === 'treatment-weak' || kind === 'night-production' || kind === 'production-surge') {
    if (!((params.level as number) > 0 && (params.level as number) <= 1)) c.fail(`${at}.level`, `${params.level} is not a share in (0, 1]`);
  }
  if (kind === 'treatment-degrading' && !((params.dropPct as number) > 0 && (params.dropPct as number) < 100)) c.fail(`${at}.dropPct`, `${params.dropPct} is not a percentage in (0, 100)`);
  if (kind === 'limit-order' && !((params.limitPct as number) > 0 && (params.limitPct as number) < 100)) c.fail(`${at}.limitPct`, `${params.limitPct} is not a percentage in (0, 100)`);
  return params;
}

function checkStart(c: FieldChecker, s: Record<string, unknown>, at: string): ScenarioStart | undefined {
  const forms = [s.day !== undefined || s.at !== undefined, s.afterMin !== undefined, s.from !== undefined].filter(Boolean).length;
  if (forms !== 1) return c.fail(at, 'give exactly one start: day + at (local "HH:MM"), afterMin, or from (ISO time)');
  if (s.afterMin !== undefined) return { afterMin: c.number(s.afterMin, `${at}.afterMin`, 0, MAX_DAY * DAY_MIN, 0) };
  if (s.from !== undefined) {
    const from = typeof s.from === 'string' ? Date.parse(s.from) : NaN;
    return Number.isNaN(from) ? c.fail(`${at}.from`, `${show(s.from)} is not an ISO time like "2026-12-01T10:00:00Z"`) : { from };
  }
  const m = typeof s.at === 'string' ? /^(\d{1,2}):(\d{2})$/.exec(s.at) : null;
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return c.fail(`${at}.at`, `${show(s.at)} is not a local time like "10:30"`);
  return { day: c.integer(s.day ?? 0, `${at}.day`, 0, MAX_DAY, 0), atMin: Number(m[1]) * 60 + Number(m[2]) };
}

function checkLength(c: FieldChecker, s: Record<string, unknown>, at: string, start: ScenarioStart | undefined): number | undefined {
  if ((s.minutes === undefined) === (s.to === undefined)) return c.fail(at, 'give exactly one length: minutes, or to (ISO time, with from)');
  if (s.minutes !== undefined) return c.number(s.minutes, `${at}.minutes`, 1, MAX_DAY * DAY_MIN, 60);
  const to = typeof s.to === 'string' ? Date.parse(s.to) : NaN;
  if (!start || !('from' in start)) return c.fail(`${at}.to`, 'to needs from');
  if (Number.isNaN(to) || to <= start.from) return c.fail(`${at}.to`, `${show(s.to)} is not an ISO time after from`);
  return (to - start.from) / MIN_MS;
}

/** Local midnight (as UTC ms) of the day holding `t`. */
export function localMidnight(t: number, utcOffsetMin: number): number {
  const offset = utcOffsetMin * MIN_MS;
  return Math.floor((t + offset) / (DAY_MIN * MIN_MS)) * DAY_MIN * MIN_MS - offset;
}

/** The scenario's window on a run that started at `runStart` (day 0 is that day, local). */
export function windowOf(spec: ScenarioSpec, runStart: number, utcOffsetMin: number): { from: number; to: number } {
  const s = spec.start;
  const from = 'from' in s ? s.from : 'afterMin' in s ? runStart + s.afterMin * MIN_MS : localMidnight(runStart, utcOffsetMin) + (s.day * DAY_MIN + s.atMin) * MIN_MS;
  return { from, to: spec.minutes === undefined ? Infinity : from + spec.minutes * MIN_MS };
}

/** The meter fault a fault scenario injects. */
export function faultOf(spec: ScenarioSpec): Fault | undefined {
  if (isProcessKind(spec.kind)) return undefined;
  const fault = parseFault(spec.kind, spec.params);
  return typeof fault === 'string' ? undefined : fault;
}
