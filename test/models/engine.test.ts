// The live engine on a simulated steel rolling shop (firmware-sim, real steel-plant load):
// event time, lateness, data-gap withdrawal, and the same alerts whatever the arrival order.
import { test } from 'tap';
import { loadSite, simulateHistory, type HistoryReading } from '../../firmware-sim/index.js';
import type { AlertEvent } from '../../collector/models/contract.js';
import { createEngine, DEFAULT_RECENT_ROWS, type EngineStats } from '../../collector/models/engine.js';
import { MemorySource } from '../../collector/models/memory-source.js';
import { sitesRegistry } from '../../collector/models/site-registry.js';

const MIN = 60_000;
const DAY = 1440 * MIN;
const END = Date.parse('2026-11-08T16:00:00Z'); // local midnight, Asia/Shanghai
const site = loadSite(new URL('../../firmware-sim/sites/steel-rolling.yaml', import.meta.url).pathname);
const history = simulateHistory(site, { days: 5, end: END });
const readings: HistoryReading[] = [...history.readings].map((r) => r);
const asReading = (r: HistoryReading, i: number) => ({ ...r, seq: BigInt(i + 1) });

interface Recorded {
  event: AlertEvent;
  firstLate: boolean;
  upserts: number;
}

/** Replays readings through a MemorySource and an engine, in the order `batches` gives. */
async function replay(
  batches: { at: number; readings: HistoryReading[] }[],
  options: { recentRows?: typeof DEFAULT_RECENT_ROWS; log?: string[]; stats?: (s: EngineStats) => void } = {},
): Promise<Map<string, Recorded>> {
  const source = new MemorySource(sitesRegistry([site], history));
  const alerts = new Map<string, Recorded>();
  let clock = history.from;
  const engine = createEngine({
    source,
    tickMs: 0,
    now: () => clock,
    ...(options.recentRows !== undefined && { recentRows: options.recentRows }),
    sink: {
      upsert(event, meta) {
        options.log?.push(JSON.stringify([event, meta]));
        const old = alerts.get(event.key);
        alerts.set(event.key, { event, firstLate: old ? old.firstLate : meta.late, upserts: (old?.upserts ?? 0) + 1 });
      },
    },
  });
  let n = 0;
  for (const batch of batches) {
    clock = batch.at;
    engine.onStored(source.store(batch.readings.map((r) => asReading(r, n++))));
    await engine.flush();
  }
  options.stats?.(engine.stats());
  await engine.close();
  return alerts;
}

/** Live: every 10 minutes of readings arrive 30 s after their last minute. */
function live(from: number, to: number): { at: number; readings: HistoryReading[] }[] {
  const batches = [];
  for (let t = from; t < to; t += 10 * MIN) {
    batches.push({ at: t + 10 * MIN + 30_000, readings: readings.filter((r) => r.t >= t && r.t < t + 10 * MIN) });
  }
  return batches;
}

const settled = (alerts: Map<string, Recorded>) =>
  [...alerts.values()]
    .filter((a) => !a.event.withdrawn)
    .map((a) => `${a.event.key} → ${new Date(a.event.to).toISOString()} ended=${a.event.ended} declared=${a.event.declared}`)
    .sort();

test('engine – a 3-day backlog gives the same alerts as live arrival, marks what it revealed late, and withdraws its data gaps', async (t) => {
  const inOrder = await replay(live(history.from, history.to));
  const expected = settled(inOrder);
  t.ok(expected.some((a) => a.startsWith('treatment-off:scrubber:')), 'the injected scrubber-off is found');
  t.notOk([...inOrder.values()].some((a) => a.firstLate), 'nothing is late when data arrives live');

  // Gateway offline from day 1 12:00 to day 4 12:00; then live data resumes and the backlog
  // drains beside it, oldest first, two hours of it per live batch.
  const gapFrom = history.from + 1.5 * DAY;
  const gapTo = history.from + 4.5 * DAY;
  const batches = live(history.from, gapFrom);
  const backlog = readings.filter((r) => r.t >= gapFrom && r.t < gapTo);
  let drained = 0;
  for (const batch of live(gapTo, history.to)) {
    batches.push(batch);
    if (drained < backlog.length) {
      const until = backlog[drained]!.t + 120 * MIN;
      const chunk = [];
      while (drained < backlog.length && backlog[drained]!.t < until) chunk.push(backlog[drained++]!);
      batches.push({ at: batch.at, readings: chunk });
    }
  }
  t.equal(drained, backlog.length, 'the backlog drained before the end');
  const withBacklog = await replay(batches);
  t.same(settled(withBacklog), expected, 'same alerts, same windows');

  const gaps = [...withBacklog.values()].filter((a) => a.event.model === 'data-gap');
  t.ok(gaps.length > 0, 'the outage raised data-gap alerts while it lasted');
  t.ok(gaps.every((a) => a.event.withdrawn === 'data arrived'), 'and the backlog withdrew every one');
  const revealed = [...withBacklog.values()].filter((a) => a.event.from >= gapFrom && a.event.to <= gapTo && !a.event.withdrawn);
  t.ok(revealed.length > 0, 'alerts inside the outage were found from the backlog');
  t.ok(revealed.every((a) => a.firstLate), 'and marked late');
});

test('engine – the recent windows it keeps in memory change nothing: the same upserts, in order, as reading every window from the store', async (t) => {
  // Live batches, every 12th followed by 20 minutes sent again from before it: rows stored
  // again inside what is held.
  const batches = live(history.from, history.to).flatMap((b, i) =>
    i % 12 === 11 ? [b, { at: b.at, readings: readings.filter((r) => r.t >= b.at - 40 * MIN && r.t < b.at - 20 * MIN) }] : [b],
  );
  const kept: string[] = [];
  const none: string[] = [];
  let stats: EngineStats | undefined;
  await replay(batches, { log: kept, stats: (s) => (stats = s) });
  await replay(batches, { log: none, recentRows: { minutes: 0, readings: 0, perKey: { minutes: 0, readings: 0 } } });
  t.ok(kept.length > 10, `${kept.length} upserts`);
  t.same(kept, none);
  const { recentMinutes: m, recentReadings: r } = stats!;
  t.ok(m.rowsHit > 2 * m.rowsRead, `minutes mostly from memory (${m.rowsHit} held, ${m.rowsRead} read)`);
  t.ok(r.rowsHit > r.rowsRead, `readings too (${r.rowsHit} held, ${r.rowsRead} read)`);
});

test('engine – an ongoing condition is upserted as one alert that extends, not one per minute', async (t) => {
  const alerts = await replay(live(history.from, history.to));
  const off = [...alerts.values()].filter((a) => a.event.model === 'treatment-off' && a.event.facilities.includes('scrubber'));
  t.ok(off.length >= 1);
  const longest = off.reduce((a, b) => (b.event.to - b.event.from > a.event.to - a.event.from ? b : a));
  t.ok(longest.event.to - longest.event.from > 60 * MIN, 'an alert spanning over an hour');
  t.ok(longest.upserts > 1, 'extended by later evaluations');
  t.ok(longest.upserts < (longest.event.to - longest.event.from) / (10 * MIN) + 5, 'about once per batch, not per minute');
});

test('engine – live, an alert is raised once its dwell is met, not while the dwell\'s last minute is still arriving', async (t) => {
  const off = [...(await replay(live(history.from, history.to))).values()].find((a) => a.event.model === 'treatment-off' && !a.event.withdrawn);
  t.ok(off, 'the scrubber outage is found when data arrives in batches');
  const detectedAt = off!.event.detectedAt!;
  const source = new MemorySource(sitesRegistry([site], history));
  let clock = detectedAt - 30 * MIN;
  let raisedAt: number | null = null;
  const engine = createEngine({
    source,
    tickMs: 0,
    now: () => clock,
    sink: { upsert: (e) => void (e.key === off!.event.key && raisedAt === null && (raisedAt = clock)) },
  });
  let n = 0;
  engine.onStored(source.store(readings.filter((r) => r.t < clock).map((r) => asReading(r, n++))));
  await engine.flush();
  // Then poll by poll, each arriving a second after it was taken in two messages (as a
  // gateway with two buses sends it), the engine evaluating after each.
  const instants = [...new Set(readings.filter((r) => r.t >= clock && r.t < detectedAt + 2 * MIN).map((r) => r.t))].sort((a, b) => a - b);
  const before = engine.stats().evaluations;
  for (const at of instants) {
    clock = at + 1000;
    const poll = readings.filter((r) => r.t === at);
    for (const part of [poll.slice(0, poll.length >> 1), poll.slice(poll.length >> 1)]) {
      engine.onStored(source.store(part.map((r) => asReading(r, n++))));
      await engine.flush();
    }
  }
  const minutes = new Set(instants.map((at) => Math.floor(at / MIN))).size;
  t.ok(engine.stats().evaluations - before <= minutes + 1, `about one evaluation per minute of data, not per message (${engine.stats().evaluations - before} for ${minutes} minutes, ${2 * instants.length} messages)`);
  await engine.close();
  t.ok(raisedAt !== null, 'raised live');
  t.ok(raisedAt! >= detectedAt, `not before its dwell is met: raised ${(raisedAt! - detectedAt) / 1000} s after detectedAt`);
  t.ok(raisedAt! - detectedAt < 30_000, 'and with the first poll after it');
});

test('engine – a notice entered after the fact turns the alerts inside it declared on re-evaluation', async (t) => {
  const registry = sitesRegistry([site], history);
  const source = new MemorySource(registry);
  const alerts = new Map<string, AlertEvent>();
  const engine = createEngine({ source, tickMs: 0, sink: { upsert: (event) => void alerts.set(event.key, event) } });
  engine.onStored(source.store(readings.map(asReading)));
  await engine.flush();
  const off = [...alerts.values()].filter((a) => a.model === 'treatment-off' && !a.declared);
  t.ok(off.length > 0);
  const from = Math.min(...off.map((a) => a.from));
  const to = Math.max(...off.map((a) => a.to));
  registry.notices!.push({ id: 'maintenance-1', facility: 'scrubber', from, to, reason: 'scrubber overhaul' });
  engine.reload();
  engine.reevaluate(site.id, from, to);
  await engine.flush();
  await engine.close();
  for (const a of off) t.equal(alerts.get(a.key)!.declared, true, `${a.key} declared`);
  t.ok(
    [...alerts.values()].filter((a) => a.model === 'runtime-short').every((a) => a.declared),
    'and the day-level alerts of those days',
  );
});

test('engine – a gateway that goes silent raises data-gap on the clock alone, ended when data resumes', async (t) => {
  const source = new MemorySource(sitesRegistry([site], history));
  const alerts = new Map<string, AlertEvent>();
  let clock = history.from;
  const engine = createEngine({ source, tickMs: 0, now: () => clock, sink: { upsert: (event) => void alerts.set(event.key, event) } });
  const silentFrom = history.from + 2 * 3600_000;
  const silentTo = silentFrom + 30 * MIN;
  let n = 0;
  for (let m = history.from; m < silentTo + 10 * MIN; m += MIN) {
    clock = m + MIN + 5000;
    const batch = m >= silentFrom && m < silentTo ? [] : readings.filter((r) => r.t >= m && r.t < m + MIN);
    engine.onStored(source.store(batch.map((r) => asReading(r, n++))));
    await engine.flush();
    if (m === silentFrom + 6 * MIN) {
      const open = [...alerts.values()].filter((a) => a.model === 'data-gap');
      t.equal(open.length, site.facilities.length, 'every facility of the silent gateway, 6 minutes in');
      t.ok(open.every((a) => !a.ended && a.from === silentFrom), 'ongoing, from the first silent minute');
    }
  }
  await engine.close();
  const gaps = [...alerts.values()].filter((a) => a.model === 'data-gap');
  t.ok(gaps.every((a) => a.ended && a.to === silentTo && !a.withdrawn), 'ended where data resumed; nothing arrived to withdraw them');
});

test('engine – a store error in an evaluation loses nothing: the window is evaluated again on the next tick', async (t) => {
  const source = new MemorySource(sitesRegistry([site], history));
  const alerts = new Map<string, AlertEvent>();
  const errors: string[] = [];
  let failing = true;
  const minutes = source.minutes.bind(source);
  source.minutes = (facility, from, to) => {
    if (failing) throw new Error('SQLITE_BUSY');
    return minutes(facility, from, to);
  };
  const engine = createEngine({ source, tickMs: 0, sink: { upsert: (e) => void alerts.set(e.key, e) }, onError: (e) => errors.push((e as Error).message) });
  engine.onStored(source.store(readings.map(asReading)));
  await engine.flush();
  t.same(errors.slice(0, 1), ['SQLITE_BUSY'], 'reported');
  t.equal(alerts.size, 0);
  failing = false;
  await engine.flush();
  await engine.close();
  t.ok([...alerts.keys()].some((k) => k.startsWith('treatment-off:scrubber:')), 'found once the store answers');
  t.ok([...alerts.keys()].some((k) => k.startsWith('runtime-short:')), 'daily models too');
});

test('engine – a dwell configured longer than the default look-back still fires live', async (t) => {
  const registry = sitesRegistry([site], history);
  registry.config = { enterprises: { [site.id]: { 'treatment-off': { dwellMin: 200 } } } };
  const source = new MemorySource(registry);
  const alerts = new Map<string, AlertEvent>();
  let clock = history.from;
  const engine = createEngine({ source, tickMs: 0, now: () => clock, sink: { upsert: (e) => void alerts.set(e.key, e) } });
  let n = 0;
  for (const batch of live(history.from, history.to)) {
    clock = batch.at;
    engine.onStored(source.store(batch.readings.map((r) => asReading(r, n++))));
    await engine.flush();
  }
  await engine.close();
  const off = [...alerts.values()].filter((a) => a.model === 'treatment-off');
  t.equal(off.length, 2, 'both runs of the scrubber outage (229 and 228 min) reach 200 min');
  t.ok(off.every((a) => a.to - a.from >= 200 * MIN));
});

test('engine – shows the levels a facility is judged by: learned where not configured, configured ones as set', async (t) => {
  const source = new MemorySource(sitesRegistry([site], history));
  const engine = createEngine({ source, tickMs: 0, sink: { upsert() {} }, timeZone: 'Asia/Shanghai' });
  engine.onStored(source.store(readings.map(asReading)));
  await engine.flush();
  const incomer = await engine.levels('shop-incomer', history.to - 60 * MIN);
  t.ok(incomer?.learned && incomer.learned.quarterHours >= 96, 'the incomer has no thresholds: learned from its days before');
  t.same(incomer!.effective, { offBelowW: incomer!.learned!.offBelowW, runningAboveW: incomer!.learned!.runningAboveW, runningLevelW: incomer!.learned!.runningLevelW });
  const scrubber = await engine.levels('scrubber', history.to - 60 * MIN);
  t.same(scrubber, { learned: null, effective: { offBelowW: 4000, runningAboveW: 16000, runningLevelW: 80000 } }, 'all three configured');
  t.equal(await engine.levels('no-such-facility', history.to), null);
  await engine.close();
});

test('engine – an enterprise with a bad time zone is reported and judged in the default zone', async (t) => {
  const registry = sitesRegistry([site], history);
  registry.enterprises[0]!.timeZone = 'Mars/Olympus';
  const source = new MemorySource(registry);
  const errors: string[] = [];
  const alerts = new Map<string, AlertEvent>();
  const engine = createEngine({ source, tickMs: 0, sink: { upsert: (e) => void alerts.set(e.key, e) }, onError: (e) => errors.push((e as Error).message) });
  engine.onStored(source.store(readings.map(asReading)));
  await engine.flush();
  await engine.close();
  t.match(errors, [/hn-rolling-02: time zone 'Mars\/Olympus' is not an IANA zone; using Asia\/Shanghai/]);
  t.ok([...alerts.keys()].some((k) => k.startsWith('treatment-off:scrubber:')));
});

test('engine – after a restart it takes up the stored alerts: a gap open before it is withdrawn when the backlog arrives', async (t) => {
  const source = new MemorySource(sitesRegistry([site], history));
  const stored = new Map<string, AlertEvent>();
  const sink = { upsert: (e: AlertEvent) => void stored.set(e.key, e) };
  let clock = history.from;
  const gapFrom = history.from + 1.5 * DAY;
  const gapTo = history.from + 2 * DAY;
  let n = 0;
  const feed = async (engine: ReturnType<typeof createEngine>, batches: { at: number; readings: HistoryReading[] }[]) => {
    for (const batch of batches) {
      clock = batch.at;
      engine.onStored(source.store(batch.readings.map((r) => asReading(r, n++))));
      await engine.flush();
    }
  };
  const before = createEngine({ source, tickMs: 0, now: () => clock, sink });
  await feed(before, [...live(history.from, gapFrom), { at: gapTo, readings: [] }]);
  await before.close();
  const open = [...stored.values()].filter((a) => a.model === 'data-gap' && !a.ended);
  t.ok(open.length > 0, 'the outage is an open data-gap when the collector restarts');

  const recentAlerts = (since: number) => [...stored.values()].filter((a) => a.to >= since);
  const after = createEngine({ source: Object.assign(source, { recentAlerts }), tickMs: 0, now: () => clock, sink });
  await feed(after, [{ at: gapTo, readings: readings.filter((r) => r.t >= gapFrom && r.t < gapTo) }, ...live(gapTo, gapTo + 60 * MIN)]);
  await after.close();
  for (const gap of open) t.equal(stored.get(gap.key)!.withdrawn, 'data arrived', `${gap.key} withdrawn by the new engine`);
});
