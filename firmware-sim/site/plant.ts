// How a site's facilities draw power over time. Production follows the real load data;
// each treatment runs while any production it serves runs, from leadMin before to lagMin
// after, at a load partly following production's level; the total feeder is the sum plus
// everything not metered separately. Scenarios bend this behaviour inside their windows.
import type { Load } from '../meter/electrical.js';
import { hashSeed, noiseAt } from '../random.js';
import { loadSource, type LoadSource } from './load-source.js';
import type { ScenarioSpec } from './scenario-spec.js';
import type { FacilitySim, Site } from './site-file.js';

const MIN_MS = 60_000;
const DAY_MIN = 1440;
/** Production runs above this share of the data's peak (the steel plant idles at ~2 %, works at 15–100 %). */
export const RUNNING_FRACTION = 0.08;
/** A typical running share: the reference for "full production" and a limit order's baseline. */
export const RUNNING_LEVEL = 0.35;
/** What a stopped production line draws, as a share of the peak. */
const STANDBY_FRACTION = 0.02;
/** Days before a limit order its baseline is taken from (as the collector's order baseline). */
const ORDER_BASELINE_DAYS = 7;
/** Treatment load follows production's level up to this much above its rated load. */
const MAX_LEVEL = 1.3;
/** Local night (DESIGN.md night-production): 22:00–06:00. */
const NIGHT_START_MIN = 22 * 60;
const NIGHT_END_MIN = 6 * 60;
/** Treatment scenarios that decide when it runs (treatment-weak only changes how hard). */
const SWITCHING: readonly string[] = ['treatment-off', 'late-start', 'early-stop', 'cycling'];
/** Cached production shares per facility before the cache is dropped (minutes). */
const CACHE_MINUTES = 8192;

export interface ActiveScenario {
  spec: ScenarioSpec;
  from: number;
  to: number;
}

export class Plant {
  readonly scenarios: ActiveScenario[] = [];
  private readonly source: LoadSource;
  private readonly kinds: Map<string, string>;
  private readonly serves: Map<string, string[]>;
  private readonly servedBy: Map<string, string[]>;
  private readonly seeds: Map<string, number>;
  private readonly shares = new Map<string, Map<number, number>>();
  private readonly lastLoad = new Map<string, { t: number; load: Load }>();
  /** Mean running share before each limit order, by order and facility (limitShare). */
  private readonly baselines = new Map<string, number>();

  constructor(readonly site: Site) {
    this.source = loadSource(site.sim.source.file);
    this.kinds = new Map(site.facilities.map((f) => [f.id, f.kind]));
    this.serves = new Map(site.facilities.map((f) => [f.id, f.serves ?? []]));
    this.servedBy = new Map(site.facilities.map((f) => [f.id, site.facilities.filter((t) => t.serves?.includes(f.id)).map((t) => t.id)]));
    this.seeds = new Map(site.facilities.map((f) => [f.id, hashSeed(site.sim.seed, f.id)]));
  }

  private sim(facility: string): FacilitySim {
    return this.site.sim.facilities[facility];
  }

  private active(t: number, test: (s: ScenarioSpec) => boolean): ActiveScenario | undefined {
    return this.scenarios.find((a) => t >= a.from && t < a.to && test(a.spec));
  }

  private noise(facility: string, t: number): number {
    return 1 + this.sim(facility).noise * noiseAt(this.seeds.get(facility)!, Math.floor(t / MIN_MS));
  }

  localMinuteOfDay(t: number): number {
    const m = Math.floor(t / MIN_MS) + this.site.sim.utcOffsetMin;
    return ((m % DAY_MIN) + DAY_MIN) % DAY_MIN;
  }

  isNight(t: number): boolean {
    const m = this.localMinuteOfDay(t);
    return m >= NIGHT_START_MIN || m < NIGHT_END_MIN;
  }

  /** Production share of the data's peak from the data alone (cached by minute for the treatment's look-around). */
  private dataShare(facility: string, t: number): number {
    const minute = Math.floor(t / MIN_MS);
    let cache = this.shares.get(facility);
    if (!cache || cache.size > CACHE_MINUTES) this.shares.set(facility, (cache = new Map()));
    const hit = cache.get(minute);
    if (hit !== undefined) return hit;
    const f = this.sim(facility);
    const { shiftDays, shiftMinutes } = this.site.sim.source;
    const local = minute + this.site.sim.utcOffsetMin + shiftMinutes + f.shiftMinutes + (shiftDays + f.shiftDays) * DAY_MIN;
    const share = this.source.fractionAt(local);
    cache.set(minute, share);
    return share;
  }

  /** Production's share after the scenarios that change what production does. */
  productionShare(facility: string, t: number): number {
    const share = this.dataShare(facility, t);
    const binds = (s: ScenarioSpec) => !s.facilities || s.facilities.includes(facility);
    const surge = this.active(t, (s) => s.kind === 'production-surge' && s.facility === facility);
    if (surge) return Math.max(share, surge.spec.params.level as number);
    const night = this.active(t, (s) => s.kind === 'night-production' && s.facility === facility);
    if (night) return this.isNight(t) ? (night.spec.params.level as number) : Math.min(share, STANDBY_FRACTION);
    if (this.active(t, (s) => s.kind === 'stop-order' && s.params.obey === true && binds(s))) return Math.min(share, STANDBY_FRACTION);
    const limit = this.active(t, (s) => s.kind === 'limit-order' && s.params.obey === true && binds(s));
    if (limit) return Math.min(share, this.limitShare(limit, facility) * 0.9);
    return share;
  }

  /** The production share as its meter shows it: with the facility's noise. */
  meteredShare(facility: string, t: number): number {
    return this.productionShare(facility, t) * this.noise(facility, t);
  }

  productionRunning(facility: string, t: number): boolean {
    return this.productionShare(facility, t) > RUNNING_FRACTION;
  }

  /** Whether a treatment would run if nothing were wrong with it: around any running production it serves. */
  treatmentWanted(facility: string, t: number): boolean {
    const { leadMin, lagMin } = this.sim(facility);
    const served = this.serves.get(facility)!;
    for (let k = -Math.ceil(lagMin); k <= Math.ceil(leadMin); k++) {
      if (served.some((p) => this.productionRunning(p, t + k * MIN_MS))) return true;
    }
    return false;
  }

  /** Whether the treatment is wanted at every minute of [from, to]. */
  private wantedThroughout(facility: string, from: number, to: number): boolean {
    for (let m = from; m <= to; m += MIN_MS) if (!this.treatmentWanted(facility, m)) return false;
    return true;
  }

  /** Whether the treatment runs, after its own scenarios. */
  treatmentOn(facility: string, t: number): boolean {
    const wanted = this.treatmentWanted(facility, t);
    if (!wanted) return false;
    const own = this.active(t, (s) => s.facility === facility && SWITCHING.includes(s.kind));
    const served = this.serves.get(facility)!;
    if (this.isNight(t) && this.active(t, (s) => s.kind === 'night-production' && served.includes(s.facility!))) return false;
    const f = this.sim(facility);
    switch (own?.spec.kind) {
      case 'treatment-off':
        return false;
      // Wanted throughout the minutes before (late start) or after (early stop), not a shifted
      // copy of wanted: a shifted copy also moved the other edge, and after a short production
      // stop switched the treatment off in the middle of the next run.
      case 'late-start':
        return this.wantedThroughout(facility, t - ((own.spec.params.delayMin as number) + f.leadMin) * MIN_MS, t);
      case 'early-stop':
        return this.wantedThroughout(facility, t, t + ((own.spec.params.advanceMin as number) + f.lagMin) * MIN_MS);
      case 'cycling': {
        const { onMin, offMin } = own.spec.params as { onMin: number; offMin: number };
        return ((t - own.from) / MIN_MS) % (onMin + offMin) < onMin;
      }
      default:
        return true;
    }
  }

  /** The facility's load at `t` (the last instant is kept: a site's meters all ask for the same one). */
  load(facility: string, t: number): Load {
    const last = this.lastLoad.get(facility);
    if (last?.t === t) return last.load;
    const load = this.computeLoad(facility, t);
    this.lastLoad.set(facility, { t, load });
    return load;
  }

  /** Forget cached loads: the scenarios changed. */
  changed(): void {
    this.lastLoad.clear();
  }

  private computeLoad(facility: string, t: number): Load {
    const f = this.sim(facility);
    switch (this.kinds.get(facility)) {
      case 'production':
        return { kw: f.ratedKw * this.productionShare(facility, t) * this.noise(facility, t) + f.baseKw, pf: f.pf };
      case 'treatment':
        return { kw: this.treatmentKw(facility, t), pf: f.pf };
      default: {
        let kw = f.otherKw * this.noise(facility, t);
        for (const [id, kind] of this.kinds) if (kind !== 'total') kw += this.load(id, t).kw;
        return { kw, pf: f.pf };
      }
    }
  }

  private treatmentKw(facility: string, t: number): number {
    const f = this.sim(facility);
    if (!this.treatmentOn(facility, t)) return f.baseKw;
    const levels = this.serves.get(facility)!.filter((p) => this.productionRunning(p, t)).map((p) => this.productionShare(p, t) / RUNNING_LEVEL);
    const level = Math.min(MAX_LEVEL, levels.length ? Math.max(...levels) : 0);
    let kw = f.ratedKw * (1 - f.followsLoad + f.followsLoad * level) * this.noise(facility, t);
    const weak = this.active(t, (s) => s.kind === 'treatment-weak' && s.facility === facility);
    if (weak) kw *= weak.spec.params.level as number;
    // Wear (clogged filters, a slipping belt): the load falls steadily across the window.
    const wear = this.active(t, (s) => s.kind === 'treatment-degrading' && s.facility === facility);
    if (wear) kw *= 1 - ((wear.spec.params.dropPct as number) / 100) * Math.min(1, (t - wear.from) / (wear.to - wear.from));
    return kw;
  }

  /**
   * The share a limit order of X % allows a production facility: (1 − X %) of its mean
   * running share over the ORDER_BASELINE_DAYS before the order, the pre-order baseline a
   * regulator (and order-breach) measures it against.
   */
  limitShare(order: { spec: Pick<ScenarioSpec, 'id' | 'params'>; from: number }, facility: string): number {
    const key = `${order.spec.id}|${order.from}|${facility}`;
    let baseline = this.baselines.get(key);
    if (baseline === undefined) {
      let sum = 0;
      let minutes = 0;
      for (let t = order.from - ORDER_BASELINE_DAYS * DAY_MIN * MIN_MS; t < order.from; t += MIN_MS) {
        const share = this.productionShare(facility, t);
        if (share <= RUNNING_FRACTION) continue;
        sum += share;
        minutes++;
      }
      this.baselines.set(key, (baseline = minutes > 0 ? sum / minutes : RUNNING_LEVEL));
    }
    return (1 - (order.spec.params.limitPct as number) / 100) * baseline;
  }

  /** Treatments serving `production`. */
  treatmentsOf(production: string): string[] {
    return this.servedBy.get(production) ?? [];
  }
}
