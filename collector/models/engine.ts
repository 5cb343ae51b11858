// The live engine: runs the pure models on event time as ingest stores readings
// (DESIGN.md "The models": late readings re-evaluate the windows they touch).
//
// onStored() only records which minutes changed (cheap, called after every durable store);
// a short tick evaluates each enterprise whose data gained a minute, or got older minutes
// (a backlog), over the touched window plus the rules' look-back. Daily models run when a
// local day is complete and again when a backlog touches a past day. `now` decides only what
// is live (data-gap's horizon) and what is late; models never see it.
import { alertEventOf, type AlertEvent, type EnterpriseInfo, type FacilityInfo, type FacilityMinute, type FacilityReading } from './contract.js';
import { type EngineSource, loadRegistry, loadWindow, QuarterCache, type Registry, storeRows, type WindowRows } from './engine-source.js';
import { RecentWindows, type RecentWindowStats } from './recent-windows.js';
import { buildInput, sliceInput } from './input.js';
import type { LearnedLevels, Levels } from './facility-state.js';
import { LevelBook } from './level-book.js';
import { DEFAULT_TIME_ZONE, checkTimeZone, localDayEnd, localDayStart, localDaysBetween } from './local-time.js';
import { DAY_MS, MINUTE_MS, type Model, type OrderBaseline } from './model.js';
import { MODELS } from './registry.js';
import { baselineWindow } from './baseline.js';
import { changes, remember } from './engine-changes.js';

export type { EngineSource } from './engine-source.js';

export interface EngineSink {
  /** The current view of a condition; `withdrawn` set when later data no longer shows it. */
  upsert(event: AlertEvent, meta: { late: boolean }): void | Promise<void>;
}

export interface Touched {
  facility: string;
  /** Start of the first and last minute touched (inclusive). */
  fromMinute: number;
  toMinute: number;
}

export interface EngineOptions {
  source: EngineSource;
  sink: EngineSink;
  /** Wall clock for the live horizon and lateness; omit for a replay (nothing is live or late). */
  now?: () => number;
  /** Default zone for enterprises without their own (IANA). */
  timeZone?: string;
  /** How often pending windows are evaluated (ms); 0: only on flush(). */
  tickMs?: number;
  /** An alert first seen this long after its rule was met is marked late. */
  lateAfterMs?: number;
  models?: readonly Model[];
  /** Rows of live windows kept in memory between evaluations (0: none); DEFAULT_RECENT_ROWS. */
  recentRows?: typeof DEFAULT_RECENT_ROWS;
  /** Called with an error from a tick (the engine keeps running). */
  onError?: (error: unknown) => void;
}

export interface Engine {
  onStored(batch: { readings: FacilityReading[]; touched: Touched[] }): void;
  /** Re-evaluate an enterprise's window, e.g. after a notice or order was entered. */
  reevaluate(enterpriseId: string, from: number, to: number): void;
  /** Reload enterprises, facilities, orders, notices and config on the next tick. */
  reload(): void;
  /** Evaluate everything pending now. */
  flush(): Promise<void>;
  /** The levels a facility's states use at an instant: learned ones and those in effect (for the API). */
  levels(facility: string, at: number): Promise<{ learned: LearnedLevels | null; effective: Levels | undefined } | null>;
  stats(): EngineStats;
  close(): Promise<void>;
}

export interface EngineStats {
  evaluations: number;
  dailyEvaluations: number;
  upserts: number;
  pendingEnterprises: number;
  recentMinutes: RecentWindowStats;
  recentReadings: RecentWindowStats;
}

export const DEFAULT_TICK_MS = 500;
export const DEFAULT_LATE_AFTER_MS = 10 * MINUTE_MS;
/**
 * Rows of live windows kept in memory, per kind: about 350 enterprises of ten meters at
 * 15 s (35 minutes of readings at ~450 bytes each: ~225 MB), or 4,000 facilities' two hours
 * of minutes (~100 MB). Enterprises past it are read from the store as without it. One key
 * holds at most `perKey` rows: an enterprise's 35 minutes at 15 s are 1,400; a backlog's
 * windows of many hours are read from the store.
 */
export const DEFAULT_RECENT_ROWS = { minutes: 1_000_000, readings: 500_000, perKey: { minutes: 20_000, readings: 10_000 } };
/** A condition is followed back at most this far when it began before the window. */
const MAX_EXTENSION_MS = 7 * DAY_MS;
/** Daily re-evaluation after a backlog reaches this many days on (the longest daily history). */
const DAILY_REACH_DAYS = 31;
/** How long emitted alerts are remembered for change detection and withdrawal. */
const REMEMBER_MS = 90 * DAY_MS;

interface EnterpriseState {
  info: EnterpriseInfo;
  timeZone: string;
  dirtyFrom: number;
  dirtyTo: number;
  scheduled: boolean;
  /** End (exclusive) of the newest stored minute. */
  watermark: number;
  /** First local day daily models have not run for yet. */
  nextDay: number | null;
  dailyDirty: Set<number>;
  emitted: Map<string, AlertEvent>;
  book: LevelBook;
  /** The enterprise's facilities as the level book sees them (refreshed on reload). */
  facilities: Map<string, FacilityInfo>;
  baselines: Map<string, OrderBaseline | null>;
  gapCheckedMinute: number;
  /** Start of the newest minute an evaluation left out because it was not whole yet; null: none. */
  partialMinute: number | null;
  /** Per model, the longest look-back its parameters for this enterprise ask for (ms). */
  lookbacks: Map<string, number>;
}

export function createEngine(options: EngineOptions): Engine {
  const { source, sink } = options;
  const defaultZone = checkTimeZone(options.timeZone ?? DEFAULT_TIME_ZONE);
  const models = options.models ?? MODELS;
  const realtime = models.filter((m) => m.kind === 'realtime');
  const daily = models.filter((m) => m.kind !== 'realtime');
  const modelOf = (id: string) => models.find((m) => m.id === id)!;
  /** An enterprise with no new minute for this long is evaluated for data-gap on the clock alone. */
  const silentAfterMs = Math.min(...realtime.map((m) => (m.id === 'data-gap' ? m.dwellMs(m.defaults) : Infinity)), Infinity);
  const lateAfterMs = options.lateAfterMs ?? DEFAULT_LATE_AFTER_MS;
  const quarters = new QuarterCache(source);
  const fromStore = storeRows(source);
  const recentRows = options.recentRows ?? DEFAULT_RECENT_ROWS;
  const recentMinutes = new RecentWindows<FacilityMinute>((m) => m.minute, recentRows.minutes, recentRows.perKey.minutes, 'last-two');
  const recentReadings = new RecentWindows<FacilityReading>((r) => r.t, recentRows.readings, recentRows.perKey.readings, 'last');
  /** A live window's rows: the recent windows kept in memory, topped up from the store. */
  const liveRows: WindowRows = {
    minutes: (facility, from, to) => recentMinutes.window(facility, from, to, (a, b) => source.minutes(facility, a, b)),
    ...(fromStore.readings && {
      readings: (enterprise: string, facilities: string[], from: number, to: number) =>
        recentReadings.window(enterprise, from, to, (a, b) => fromStore.readings!(enterprise, facilities, a, b)),
    }),
  };
  const states = new Map<string, EnterpriseState>();
  const newestMinute = new Map<string, number>();
  const firstMinutes = new Map<string, number>();
  const pendingTouches: Touched[] = [];
  const retried = new WeakSet<Touched>();
  let reloadRequested = false;
  const stats = { evaluations: 0, dailyEvaluations: 0, upserts: 0, pendingEnterprises: 0 };
  let registry: Registry | null = null;
  let chain: Promise<void> = Promise.resolve();
  let busy = false;
  let closed = false;

  /** Alerts stored before a restart, by enterprise, until the enterprise's state takes them. */
  let remembered: Map<string, AlertEvent[]> | null = null;

  async function ensureRegistry(): Promise<void> {
    if (registry) return;
    registry = await loadRegistry(source);
    // A meter may have moved between facilities: what a facility's rows were is not known.
    recentMinutes.clear();
    recentReadings.clear();
    if (!remembered) {
      remembered = new Map();
      const since = (options.now?.() ?? 0) - REMEMBER_MS;
      for (const alert of source.recentAlerts ? await source.recentAlerts(since) : []) {
        if (alert.withdrawn) continue;
        const list = remembered.get(alert.enterpriseId) ?? [];
        remembered.set(alert.enterpriseId, [...list, alertEventOf(alert)]);
      }
    }
    for (const [id, state] of states) {
      state.info = registry.enterprises.get(id) ?? state.info;
      state.facilities.clear();
      for (const f of registry.facilitiesOf.get(id) ?? []) state.facilities.set(f.id, f);
      state.baselines.clear();
      state.lookbacks = lookbacksOf(id);
    }
  }

  /** A configured longer dwell or history needs a longer look-back than the defaults'. */
  function lookbacksOf(enterpriseId: string): Map<string, number> {
    const config = registry!.config;
    const facilities = (registry!.facilitiesOf.get(enterpriseId) ?? []).map((f) => f.id);
    return new Map(
      models.map((m) => {
        const enterprise = { ...m.defaults, ...config.enterprises?.[enterpriseId]?.[m.id] };
        const sets = [m.defaults, enterprise, ...facilities.map((f) => ({ ...enterprise, ...config.facilities?.[f]?.[m.id] }))];
        return [m.id, Math.max(...sets.map((p) => m.lookbackMs(p)))];
      }),
    );
  }

  function lookbackOf(state: EnterpriseState, subset: readonly Model[]): number {
    return Math.max(0, ...subset.map((m) => state.lookbacks.get(m.id) ?? m.lookbackMs(m.defaults)));
  }

  /** The enterprise's zone; a bad one is reported and the default used, so its data still counts. */
  function zoneOf(info: EnterpriseInfo): string {
    try {
      return checkTimeZone(info.timeZone ?? defaultZone);
    } catch {
      options.onError?.(new RangeError(`enterprise ${info.id}: time zone '${info.timeZone}' is not an IANA zone; using ${defaultZone}`));
      return defaultZone;
    }
  }

  function stateOf(enterpriseId: string): EnterpriseState | undefined {
    let state = states.get(enterpriseId);
    const info = registry!.enterprises.get(enterpriseId);
    if (!state && info) {
      const timeZone = zoneOf(info);
      const facilities = new Map((registry!.facilitiesOf.get(enterpriseId) ?? []).map((f) => [f.id, f]));
      state = {
        info,
        timeZone,
        dirtyFrom: Infinity,
        dirtyTo: -Infinity,
        scheduled: false,
        watermark: -Infinity,
        nextDay: null,
        dailyDirty: new Set(),
        emitted: new Map(),
        book: new LevelBook(facilities, (f, day) => quarters.get(f, day), timeZone),
        facilities,
        baselines: new Map(),
        gapCheckedMinute: -Infinity,
        partialMinute: null,
        lookbacks: lookbacksOf(enterpriseId),
      };
      for (const alert of remembered?.get(enterpriseId) ?? []) state.emitted.set(alert.key, alert);
      remembered?.delete(enterpriseId);
      states.set(enterpriseId, state);
    }
    return state;
  }

  function markDirty(state: EnterpriseState, from: number, to: number): void {
    state.dirtyFrom = Math.min(state.dirtyFrom, from);
    state.dirtyTo = Math.max(state.dirtyTo, to);
    state.scheduled = true;
  }

  /** Applies recorded touches: dirty windows, watermarks, invalidated learning and days. */
  async function applyTouches(): Promise<void> {
    const touches = pendingTouches.splice(0);
    for (let i = 0; i < touches.length; i++) {
      try {
        await applyTouch(touches[i]!);
      } catch (error) {
        pendingTouches.unshift(...touches.slice(i)); // kept for the next tick
        throw error;
      }
    }
  }

  async function applyTouch(touch: Touched): Promise<void> {
    const enterpriseId = registry!.enterpriseOf.get(touch.facility);
    const state = enterpriseId && stateOf(enterpriseId);
    if (!state) {
      // A facility registered after the registry was loaded: reload, and try once more.
      if (!retried.has(touch)) {
        retried.add(touch);
        pendingTouches.push(touch);
        reloadRequested = true;
      }
      return;
    }
    const end = touch.toMinute + MINUTE_MS;
    const newest = newestMinute.get(touch.facility) ?? -Infinity;
    const backfill = touch.fromMinute < newest;
    if (!firstMinutes.has(touch.facility)) {
      const stored = source.firstMinute ? await source.firstMinute(touch.facility) : null;
      firstMinutes.set(touch.facility, Math.min(stored ?? Infinity, touch.fromMinute));
    } else firstMinutes.set(touch.facility, Math.min(firstMinutes.get(touch.facility)!, touch.fromMinute));
    newestMinute.set(touch.facility, Math.max(newest, touch.toMinute));
    // Rows from the first minute touched on changed (the minute after, too: its energy is
    // counted from this one's last reading).
    recentMinutes.truncate(touch.facility, touch.fromMinute);
    recentReadings.truncate(enterpriseId, touch.fromMinute);
    state.dirtyFrom = Math.min(state.dirtyFrom, touch.fromMinute);
    state.dirtyTo = Math.max(state.dirtyTo, end);
    // A minute's first reading decides it; more readings of the newest minute wait for
    // the next minute or flush(), so a live enterprise is evaluated about once a minute.
    if (backfill || touch.toMinute > newest) state.scheduled = true;
    state.watermark = Math.max(state.watermark, end);
    state.nextDay ??= localDayStart(touch.fromMinute, state.timeZone);
    for (const day of localDaysBetween(touch.fromMinute, end, state.timeZone)) {
      quarters.forget(touch.facility, day);
      if (backfill) await relearn(state, touch.facility, day);
      if (state.nextDay !== null && day < state.nextDay) {
        for (let d = day, k = 0; d < state.nextDay && k < DAILY_REACH_DAYS; d = localDayEnd(d, state.timeZone), k++) state.dailyDirty.add(d);
      }
    }
  }

  /**
   * Late data in a past day changes what later days learned from it: if their levels move,
   * their states may too, so those days are evaluated again (live and replay then agree).
   */
  async function relearn(state: EnterpriseState, facility: string, day: number): Promise<void> {
    const before = state.book.snapshot(facility);
    state.book.forget(facility, day);
    for (const [d, old] of before) {
      if (d < day) continue;
      await ensureDay(state, facility, d);
      const now = state.book.learnedAt(facility, d);
      if (JSON.stringify(now) !== JSON.stringify(old)) {
        markDirty(state, d, state.watermark);
        for (let x = d; state.nextDay !== null && x < state.nextDay; x = localDayEnd(x, state.timeZone)) state.dailyDirty.add(x);
      }
    }
  }

  async function ensureLearning(state: EnterpriseState, from: number, to: number): Promise<void> {
    const facilities = registry!.facilitiesOf.get(state.info.id) ?? [];
    const windows = [{ from, to }];
    for (const o of registry!.orders) if (o.enterpriseIds.includes(state.info.id) && o.from < to && o.to > from) windows.push(baselineWindow(o));
    for (const w of windows) {
      for (const day of localDaysBetween(w.from, w.to, state.timeZone)) {
        for (const f of facilities) await ensureDay(state, f.id, day);
      }
    }
  }

  /** Loads what learning a facility's levels for one day reads: the days before, and the day itself while history is short. */
  async function ensureDay(state: EnterpriseState, facility: string, day: number): Promise<void> {
    if (!state.book.learns(facility)) return;
    await quarters.ensure(facility, state.book.learningDays(day), state.timeZone);
    if (state.book.needsOwnDay(facility, day)) await quarters.ensure(facility, [day], state.timeZone);
  }

  async function emit(state: EnterpriseState, events: AlertEvent[], previous: AlertEvent[], judged: (e: AlertEvent) => boolean): Promise<void> {
    const nowMs = options.now?.();
    const late = (e: AlertEvent) => nowMs !== undefined && nowMs - (e.detectedAt ?? e.to) > lateAfterMs;
    for (const [event, meta] of changes(state.emitted, events, previous, judged, late)) {
      stats.upserts++;
      await sink.upsert(event, meta);
      remember(state.emitted, event);
    }
  }

  /**
   * End of the data an evaluation counts. Live, the newest minute is still receiving readings
   * while the wall clock is inside it: it is left out until it is whole (the clock has passed
   * it, or a later minute arrived), so a dwell is met only once its last minute has been seen.
   */
  function wholeEnd(state: EnterpriseState, liveMinute: number | null): number {
    if (liveMinute === null) return state.watermark;
    return Math.min(state.watermark, Math.max(liveMinute, state.watermark - MINUTE_MS));
  }

  /** `silent`: the gateway sent nothing for a while; only the live horizon (data-gap) moved. */
  async function evaluateRealtime(state: EnterpriseState, liveMinute: number | null, silent: boolean): Promise<void> {
    const end = wholeEnd(state, liveMinute);
    let a = state.dirtyFrom;
    let b = Math.min(state.dirtyTo, end);
    state.dirtyFrom = Infinity;
    state.dirtyTo = -Infinity;
    state.scheduled = false;
    state.partialMinute = null;
    if (end < state.watermark) {
      // The minute left out stays dirty; the tick evaluates it once the clock has passed it.
      markDirty(state, end, state.watermark);
      state.scheduled = false;
      state.partialMinute = end;
    }
    if (!(a < b)) {
      // Nothing new among the whole minutes (a new minute's first reading after the clock
      // already made the one before it whole): only a silent gateway's horizon needs a look.
      if (liveMinute === null || !silent) return;
      a = b = end;
    }
    const asOfLive = liveMinute === null ? end : Math.max(end, liveMinute);
    // Minute series reach back the longest look-back; raw readings (many per minute) only
    // as far as the rules that read them need.
    const realtimeLookback = Math.max(MINUTE_MS, lookbackOf(state, realtime));
    let lo = Math.min(a, b) - realtimeLookback;
    let readFrom = Math.min(a, b) - Math.max(MINUTE_MS, lookbackOf(state, realtime.filter((m) => m.readsReadings)));
    let hi = Math.min(end, Math.max(a, b) + realtimeLookback);
    const limit = lo - MAX_EXTENSION_MS;
    const startOf = (model: Model) => (model.readsReadings ? readFrom : lo);
    let events: AlertEvent[] = [];
    for (;;) {
      await ensureLearning(state, lo, hi);
      const data = await loadWindow(source, liveRows, registry!, state.info, state.book, state.baselines, firstMinutes, { from: lo, readFrom, to: hi }, state.timeZone);
      const input = buildInput(data, { from: lo, to: hi, dataFrom: lo, asOf: hi >= end ? asOfLive : hi });
      events = realtime.flatMap((m) => m.evaluate(input));
      stats.evaluations++;
      // A condition that begins within a look-back of where the data begins may have begun
      // earlier: look further back, so its start (and key) is the one a longer window finds.
      const early = events.filter((e) => {
        const m = modelOf(e.model);
        return e.from < startOf(m) + lookbackOf(state, [m]) && startOf(m) > limit;
      });
      const open = hi < end && events.some((e) => !e.ended && e.to >= hi);
      if (early.length === 0 && !open) break;
      if (early.some((e) => !modelOf(e.model).readsReadings)) lo = Math.max(limit, lo - (hi - lo));
      if (early.some((e) => modelOf(e.model).readsReadings)) readFrom = Math.max(limit, readFrom - (hi - readFrom));
      if (open) hi = Math.min(end, hi + (hi - lo));
      lo = Math.min(lo, readFrom);
    }
    const ids = new Set(realtime.map((m) => m.id));
    const previous = [...state.emitted.values()].filter((e) => ids.has(e.model));
    await emit(state, events, previous, (e) => e.from >= startOf(modelOf(e.model)) && e.from < hi);
  }

  /** Daily and advance models for some local days, from one load of the data they span. */
  async function evaluateDays(state: EnterpriseState, days: number[]): Promise<void> {
    if (days.length === 0) return;
    const to = localDayEnd(days[days.length - 1]!, state.timeZone);
    const dailyLookback = lookbackOf(state, daily);
    const dataFrom = localDayStart(days[0]! - dailyLookback, state.timeZone);
    await ensureLearning(state, dataFrom, to);
    const data = await loadWindow(source, fromStore, registry!, state.info, state.book, state.baselines, firstMinutes, { from: dataFrom, readFrom: to, to }, state.timeZone);
    const whole = buildInput(data, { from: dataFrom, to, dataFrom, asOf: to });
    const ids = new Set(daily.map((m) => m.id));
    for (const day of days) {
      const dayEnd = localDayEnd(day, state.timeZone);
      const input = sliceInput(whole, day, dayEnd, localDayStart(day - dailyLookback, state.timeZone));
      const events = daily.flatMap((m) => m.evaluate(input));
      stats.dailyEvaluations++;
      const previous = [...state.emitted.values()].filter((e) => ids.has(e.model) && e.from === day);
      await emit(state, events, previous, () => true);
    }
  }

  async function evaluateDaily(state: EnterpriseState): Promise<void> {
    const days = [...state.dailyDirty].sort((x, y) => x - y);
    state.dailyDirty.clear();
    while (state.nextDay !== null && localDayEnd(state.nextDay, state.timeZone) <= state.watermark) {
      if (!days.includes(state.nextDay)) days.push(state.nextDay);
      state.nextDay = localDayEnd(state.nextDay, state.timeZone);
    }
    try {
      await evaluateDays(state, days.sort((x, y) => x - y));
    } catch (error) {
      for (const day of days) state.dailyDirty.add(day);
      throw error;
    }
  }

  function forgetOld(state: EnterpriseState): void {
    for (const [key, e] of state.emitted) if (e.to < state.watermark - REMEMBER_MS) state.emitted.delete(key);
  }

  async function tick(all: boolean): Promise<void> {
    await ensureRegistry();
    await applyTouches();
    const liveMinute = options.now ? Math.floor(options.now() / MINUTE_MS) * MINUTE_MS : null;
    const failures: unknown[] = [];
    for (const state of states.values()) {
      const silent = liveMinute !== null && liveMinute > state.gapCheckedMinute && liveMinute - state.watermark >= silentAfterMs;
      const nowWhole = liveMinute !== null && state.partialMinute !== null && liveMinute > state.partialMinute;
      // What an evaluation takes on is given back if it fails (a store error): nothing is lost.
      const dirty = { from: state.dirtyFrom, to: state.dirtyTo, days: [...state.dailyDirty] };
      try {
        if (state.scheduled || (all && state.dirtyTo > -Infinity) || silent || nowWhole) {
          if (silent) state.gapCheckedMinute = liveMinute;
          await evaluateRealtime(state, liveMinute, silent);
        }
        await evaluateDaily(state);
        forgetOld(state);
      } catch (error) {
        if (dirty.to > -Infinity) markDirty(state, dirty.from, dirty.to);
        for (const day of dirty.days) state.dailyDirty.add(day);
        failures.push(error);
        if (options.onError) options.onError(error);
      }
    }
    stats.pendingEnterprises = [...states.values()].filter((s) => s.scheduled).length;
    if (reloadRequested) {
      reloadRequested = false;
      registry = null;
    }
    if (failures.length && !options.onError) throw failures[0];
  }

  /** Ticks run one after another, never overlapping. */
  function run(all: boolean): Promise<void> {
    const next = chain.then(() => tick(all));
    chain = next.catch(() => undefined);
    return next;
  }

  const timer =
    options.tickMs === 0
      ? null
      : setInterval(() => {
          if (busy || closed) return;
          busy = true;
          run(false)
            .catch((error) => options.onError?.(error))
            .finally(() => (busy = false));
        }, options.tickMs ?? DEFAULT_TICK_MS);
  timer?.unref();

  return {
    onStored(batch) {
      for (const t of batch.touched) pendingTouches.push(t);
    },
    reevaluate(enterpriseId, from, to) {
      const state = states.get(enterpriseId);
      if (!state) return;
      markDirty(state, from, to);
      for (const day of localDaysBetween(from, to, state.timeZone)) if (state.nextDay !== null && day < state.nextDay) state.dailyDirty.add(day);
    },
    reload() {
      registry = null;
    },
    async flush() {
      await run(true);
    },
    async levels(facility, at) {
      let result: Awaited<ReturnType<Engine['levels']>> = null;
      // On the tick chain, so the registry and the caches do not change under it.
      const next = chain.then(async () => {
        await ensureRegistry();
        const enterpriseId = registry!.enterpriseOf.get(facility);
        const state = enterpriseId ? stateOf(enterpriseId) : undefined;
        if (!state) return;
        await ensureDay(state, facility, localDayStart(at, state.timeZone));
        result = {
          learned: state.book.learns(facility) ? state.book.learnedAt(facility, at) : null,
          effective: state.book.levelsAt(facility, at),
        };
      });
      chain = next.catch(() => undefined);
      await next;
      return result;
    },
    stats: () => ({ ...stats, recentMinutes: recentMinutes.stats(), recentReadings: recentReadings.stats() }),
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      await chain;
    },
  };
}
