// A whole factory, live: every bus of the site served, each meter's load following its
// facility in the plant model at wall-clock time, the scenario schedule applied as it comes
// due, scenarios started and cleared at run time, the ground truth written as it happens.
import { writeFileSync } from 'node:fs';
import { createLogger } from '../../lib/logger.js';
import { startBus, type BusTransport, type RunningBus } from '../bus.js';
import { simErrors } from '../errors.js';
import type { MeterEmulator } from '../meter/emulator.js';
import { FieldChecker } from './check.js';
import { groundTruth, type GroundTruth } from './labels.js';
import { Plant } from './plant.js';
import { checkScenario, windowOf } from './scenario-spec.js';
import { applyMeterFaults, siteMeters } from './site-meters.js';
import type { Site } from './site-file.js';
import { readState, writeState } from './state-file.js';

const MIN_MS = 60_000;
/** How often the schedule is applied and the state saved, by default. */
const DEFAULT_TICK_MS = 1000;
const STATE_EVERY_MS = 60_000;
/** Downtime the restart catches up on, at most (the meters' energy during it). */
const MAX_CATCH_UP_MS = 31 * 86_400_000;

export interface SiteOptions {
  /** The clock (default Date.now); inject one to test at a chosen time. */
  now?: () => number;
  /** Day 0 of the schedule and the reference for afterMin (default: now). */
  start?: number;
  /** Ground-truth file, rewritten as scenarios begin and end. */
  labelsFile?: string;
  /** Energy counters kept across restarts (read at start, saved every minute and at close). */
  stateFile?: string;
  /** Listen on free ports instead of the site file's (tests, several copies of one site). */
  freePorts?: boolean;
  /** Serial device per bus id, instead of the site file's paths. */
  serialPaths?: Record<string, string>;
  /** Host for every TCP bus instead of the site file's. */
  host?: string;
  /** Play the scheduled scenarios (default true). */
  scenarios?: boolean;
  lineSpeed?: boolean;
  tickMs?: number;
}

/** A scenario started at run time: the site file's scenario fields, without a start (it starts now). */
export interface InjectSpec {
  kind: string;
  id?: string;
  facility?: string;
  facilities?: string[];
  meter?: string;
  /** Length; absent: until cleared. */
  minutes?: number;
  notice?: boolean | string;
  params?: Record<string, unknown>;
}

export interface RunningSite {
  site: Site;
  plant: Plant;
  buses: { id: string; kind: BusTransport['kind']; url: string; port?: number; bus: RunningBus }[];
  meter(id: string): MeterEmulator;
  /** Starts a scenario now; returns its id. Throws TANDEM_SIM_SITE naming the wrong field. */
  inject(spec: InjectSpec): string;
  /** Ends scenarios by id, target (facility or meter id) or 'all'; returns how many. */
  clear(what: string): number;
  /** Applies the schedule at the clock's time (runs every tickMs by itself). */
  tick(): void;
  /** Labels, orders and notices of the scenarios begun so far, over their planned windows (as in the labels file). */
  truth(): GroundTruth;
  close(): Promise<void>;
}

export async function runSite(site: Site, options: SiteOptions = {}): Promise<RunningSite> {
  const log = createLogger('sim-site');
  const now = options.now ?? Date.now;
  const start = options.start ?? now();
  const plant = new Plant(site);
  if (options.scenarios !== false) for (const spec of site.sim.scenarios) plant.scenarios.push({ spec, ...windowOf(spec, start, site.sim.utcOffsetMin) });
  const state = options.stateFile ? readState(options.stateFile) : undefined;
  const meters = siteMeters(plant, now, state ? catchUp(plant, state.energyKwh, state.savedAt, now()) : {});
  const byId = new Map(meters.map((m) => [m.meter.id, m.emulator]));

  const buses: RunningSite['buses'] = [];
  try {
    for (const b of site.buses) {
      const transport: BusTransport =
        b.kind === 'rtu'
          ? { ...b, path: options.serialPaths?.[b.id] ?? b.path }
          : { kind: b.kind, host: options.host ?? b.host, port: options.freePorts ? 0 : b.port, ...(b.baud && { baud: b.baud }), ...(b.parity && { parity: b.parity }) };
      const bus = await startBus({ transport, meters: meters.filter((m) => m.meter.bus === b.id).map((m) => m.emulator), ...(options.lineSpeed !== undefined && { lineSpeed: options.lineSpeed }) });
      buses.push({ id: b.id, kind: b.kind, url: bus.url, ...(bus.port !== undefined && { port: bus.port }), bus });
    }
  } catch (error) {
    await Promise.all(buses.map((b) => b.bus.close()));
    throw error;
  }

  let lastSave = now();
  const due = (t: number) => plant.scenarios.filter((a) => a.from <= t);
  /** Labels of the scenarios begun by `t`, over their whole windows (the plant is deterministic), open ones cut at `to`. */
  const truth = (t: number, to: number) => {
    const view = new Plant(site);
    view.scenarios.push(...due(t).map((a) => ({ ...a, to: Math.min(a.to, to) })));
    return groundTruth(view, start, to);
  };
  /** The end of every begun scenario's planned window (open ones: now). */
  const horizon = (t: number) => Math.max(t, ...due(t).map((a) => (Number.isFinite(a.to) ? a.to : t)));
  const writeTruth = (t: number, to: number) => {
    if (options.labelsFile) writeFileSync(options.labelsFile, JSON.stringify({ enterpriseId: site.id, from: start, ...truth(t, to) }, null, 1) + '\n');
  };
  const saveState = () => options.stateFile && writeState(options.stateFile, Object.fromEntries(meters.map((m) => [m.meter.id, m.emulator.energy])), now());

  let written: string | undefined;
  const announced = new Set<string>();
  const finished = new Set<string>();
  const tick = () => {
    const t = now();
    applyMeterFaults(plant, meters, t);
    const begun = due(t);
    for (const a of begun) {
      if (a.to > t || finished.has(a.spec.id)) continue;
      finished.add(a.spec.id);
      log.info({ scenario: a.spec.id, kind: a.spec.kind }, 'scenario ended');
    }
    // Rewrite the truth when a scenario begins, or ends earlier than planned (cleared).
    const key = begun.map((a) => `${a.spec.id}@${a.to}`).join(',');
    if (key !== written) {
      for (const a of begun) {
        if (!announced.has(a.spec.id)) log.info({ scenario: a.spec.id, kind: a.spec.kind, until: Number.isFinite(a.to) ? new Date(a.to).toISOString() : null }, 'scenario started');
        announced.add(a.spec.id);
      }
      written = key;
      plant.changed();
      writeTruth(t, horizon(t));
    }
    if (t - lastSave >= STATE_EVERY_MS) {
      saveState();
      lastSave = t;
    }
  };
  tick();
  const timer = setInterval(tick, options.tickMs ?? DEFAULT_TICK_MS);
  log.info({ site: site.id, buses: buses.map((b) => b.url) }, 'site running');

  return {
    site,
    plant,
    buses,
    meter(id) {
      const m = byId.get(id);
      if (!m) throw simErrors.error('TANDEM_SIM_METER', `no meter '${id}' in site ${site.id} (known: ${[...byId.keys()].join(', ')})`);
      return m;
    },
    inject(raw) {
      const c = new FieldChecker();
      const { minutes, ...rest } = raw;
      // Checked as a site-file scenario starting now; one that runs until cleared is checked with a placeholder length.
      const spec = checkScenario(c, { ...rest, afterMin: 0, minutes: minutes ?? 1 }, 'scenario', site, plant.scenarios.length);
      if (!spec || c.problems.length) throw simErrors.error('TANDEM_SIM_SITE', c.problems.join('; '));
      if (raw.id === undefined) spec.id = `${spec.kind}-live-${plant.scenarios.length + 1}`;
      if (plant.scenarios.some((a) => a.spec.id === spec.id)) throw simErrors.error('TANDEM_SIM_SITE', `scenario: id '${spec.id}' is already used`);
      if (minutes === undefined) delete spec.minutes;
      const from = now();
      plant.scenarios.push({ spec, from, to: minutes === undefined ? Infinity : from + minutes * MIN_MS });
      tick();
      return spec.id;
    },
    clear(what) {
      const t = now();
      const hit = plant.scenarios.filter((a) => a.from <= t && a.to > t && (what === 'all' || [a.spec.id, a.spec.facility, a.spec.meter].includes(what)));
      for (const a of hit) a.to = t;
      tick();
      return hit.length;
    },
    tick,
    truth: () => truth(now(), horizon(now())),
    async close() {
      clearInterval(timer);
      writeTruth(now(), now());
      saveState();
      await Promise.all(buses.map((b) => b.bus.close()));
      log.info({ site: site.id }, 'site stopped');
    },
  };
}

/**
 * Energy the meters counted while the simulator was down (a real meter keeps counting), from
 * the plant's load at one-minute steps. Faults during the downtime are not replayed.
 */
function catchUp(plant: Plant, energy: Record<string, number>, from: number, to: number): Record<string, number> {
  const out = { ...energy };
  const start = Math.max(from, to - MAX_CATCH_UP_MS);
  const count = new Map<string, number>();
  for (const m of plant.site.meters) count.set(m.facility, (count.get(m.facility) ?? 0) + 1);
  for (let t = start; t < to; t += MIN_MS) {
    const hours = Math.min(MIN_MS, to - t) / 3_600_000;
    for (const m of plant.site.meters) if (out[m.id] !== undefined) out[m.id] += (plant.load(m.facility, t).kw / count.get(m.facility)!) * hours;
  }
  return out;
}
