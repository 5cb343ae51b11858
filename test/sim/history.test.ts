import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadSite, RUNNING_LEVEL, type Label, type Order, type Notice, type Site } from '../../firmware-sim/index.js';
import { runTandem } from '../helpers/cli.js';
import { tempDir } from './helpers.js';

const SITES = ['cement-plant', 'steel-rolling', 'furniture-spray'].map((s) => `firmware-sim/sites/${s}.yaml`);
const END = '2026-12-03T00:00:00Z';
const MIN_MS = 60_000;

interface Reading {
  meter: string;
  t: number;
  values: Record<string, number>;
}
interface Truth {
  enterpriseId: string;
  from: number;
  to: number;
  labels: Label[];
  orders: Order[];
  notices: Notice[];
}

async function history(t: Test, days: number, extra: string[] = [], site = SITES[0]) {
  const dir = tempDir(t);
  const out = path.join(dir, 'readings.jsonl');
  const labels = path.join(dir, 'labels.json');
  const started = performance.now();
  const r = await runTandem(['sim', 'history', '--site', site, '--days', String(days), '--end', END, '--out', out, '--labels', labels, ...extra], { timeoutMs: 120_000 });
  t.equal(r.code, 0, r.stderr.slice(-500));
  t.comment(`${days} days of ${site} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  t.match(r.stderr, new RegExp(`day ${days}/${days}`), 'progress on stderr');
  const readings = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Reading);
  return { readings, truth: JSON.parse(readFileSync(labels, 'utf8')) as Truth };
}

/** Reads the history back the way a model would: facility power per instant, from the site's meters. */
class Observed {
  readonly byMeter = new Map<string, Reading[]>();
  readonly power = new Map<string, Map<number, number>>();
  readonly times: number[];
  constructor(readonly site: Site, readings: Reading[]) {
    for (const r of readings) {
      if (!this.byMeter.has(r.meter)) this.byMeter.set(r.meter, []);
      this.byMeter.get(r.meter)!.push(r);
      const facility = site.meters.find((m) => m.id === r.meter)!.facility;
      if (!this.power.has(facility)) this.power.set(facility, new Map());
      const p = this.power.get(facility)!;
      p.set(r.t, (p.get(r.t) ?? 0) + r.values.p);
    }
    this.times = [...new Set(readings.map((r) => r.t))];
  }
  facility(id: string) {
    return this.site.facilities.find((f) => f.id === id)!;
  }
  p(facility: string, t: number) {
    return this.power.get(facility)?.get(t);
  }
  /** Clearly running (twice the running threshold), so noise at the threshold does not count. */
  running(facility: string, t: number) {
    return (this.p(facility, t) ?? 0) > 2 * this.facility(facility).thresholds!.runningAboveW!;
  }
  off(facility: string, t: number) {
    const p = this.p(facility, t);
    return p !== undefined && p < this.facility(facility).thresholds!.offBelowW!;
  }
  /** Treatments that are off while a production they serve clearly runs. */
  unprotected(t: number): string[] {
    return this.site.facilities.filter((f) => f.kind === 'treatment' && this.off(f.id, t) && f.serves!.some((p) => this.running(p, t))).map((f) => f.id);
  }
  localHour(t: number) {
    return new Date(t + 8 * 3600_000).getUTCHours();
  }
  meterIn(meter: string, from: number, to: number) {
    return (this.byMeter.get(meter) ?? []).filter((r) => r.t >= from && r.t < to);
  }
}

/** Whether the readings inside the label's window show what it says was injected. */
function shows(o: Observed, l: Label, truth: Truth): boolean {
  const inside = o.times.filter((x) => x >= l.from && x < l.to);
  const fac = l.facility!;
  const served = () => o.facility(fac).serves ?? [];
  const production = o.site.facilities.filter((f) => f.kind === 'production').map((f) => f.id);
  switch (l.kind) {
    case 'treatment-off':
    case 'late-start':
    case 'early-stop':
      return inside.some((x) => o.unprotected(x).includes(fac));
    case 'cycling': {
      let starts = 0;
      inside.forEach((x, i) => i > 0 && o.off(fac, inside[i - 1]) && !o.off(fac, x) && starts++);
      return starts >= 6;
    }
    case 'treatment-weak':
      return inside.some((x) => served().some((p) => o.running(p, x)) && !o.off(fac, x) && o.p(fac, x)! < 0.5 * o.facility(fac).thresholds!.runningLevelW!);
    case 'treatment-degrading': {
      const on = inside.filter((x) => !o.off(fac, x) && served().some((p) => o.running(p, x)));
      const mean = (xs: number[]) => xs.reduce((a, x) => a + o.p(fac, x)!, 0) / xs.length;
      const fifth = Math.floor(on.length / 5);
      return mean(on.slice(-fifth)) < 0.85 * mean(on.slice(0, fifth));
    }
    case 'production-surge': {
      const mean = (xs: number[]) => xs.reduce((a, x) => a + (o.p(fac, x) ?? 0), 0) / xs.length;
      return mean(inside) > 1.5 * mean(o.times);
    }
    case 'night-production':
      return inside.some((x) => (o.localHour(x) >= 22 || o.localHour(x) < 6) && o.running(fac, x));
    case 'stop-order':
      return truth.orders.some((r) => r.id === l.orderId) && inside.some((x) => production.some((p) => o.running(p, x)));
    case 'limit-order': {
      const order = truth.orders.find((r) => r.id === l.orderId)!;
      const bound = order.facilities ?? production;
      const over = (p: string, x: number) => (o.p(p, x) ?? 0) > (1 - order.limitPct! / 100) * RUNNING_LEVEL * o.site.sim.facilities[p].ratedKw * 1000;
      return inside.some((x) => bound.some((p) => over(p, x)));
    }
    case 'slow':
      return o.meterIn(l.meter!, l.from, l.to).length > 0; // late, but every reading still arrives
    case 'silent':
    case 'bad-crc':
    case 'exception':
      return o.meterIn(l.meter!, l.from, l.to).length === 0;
    case 'frozen': {
      const rs = o.meterIn(l.meter!, l.from, l.to);
      return rs.length > 1 && rs.every((r) => JSON.stringify(r.values) === JSON.stringify(rs[0].values));
    }
    case 'reversed-ct':
      return o.meterIn(l.meter!, l.from, l.to).every((r) => r.values.p < 0);
    case 'lost-phase':
      return o.meterIn(l.meter!, l.from, l.to).every((r) => [r.values.u1, r.values.u2, r.values.u3].filter((u) => u === 0).length === 1);
    case 'energy-reset': {
      const before = o.meterIn(l.meter!, l.from - 10 * MIN_MS, l.from).at(-1)!;
      return o.meterIn(l.meter!, l.from, l.to)[0].values.ei < before.values.ei;
    }
    default:
      return false;
  }
}

function within(labels: Label[], t: number, marginMs: number, test: (l: Label) => boolean) {
  return labels.some((l) => test(l) && t >= l.from - marginMs && t < l.to + marginMs);
}

/** Everything a model could flag outside the labels; returns the problems found. */
function cleanProblems(o: Observed, labels: Label[]): string[] {
  const problems: string[] = [];
  const PROCESS = ['treatment-off', 'late-start', 'early-stop', 'cycling', 'night-production', 'treatment-weak'];
  // A treatment follows its production within lead/lag minutes: allow that much at a label's edge.
  const margin = 15 * MIN_MS;
  // Out-of-sync, the shortest rule, needs more than 3 minutes; a meter fault on the facility's meter also makes it look off.
  const SHORTEST_RULE_MIN = 3;
  const runs = new Map<string, number[]>();
  const flush = (fac: string) => {
    const run = runs.get(fac) ?? [];
    runs.delete(fac);
    if (run.length <= SHORTEST_RULE_MIN) return;
    const served = o.facility(fac).serves!;
    const meters = o.site.meters.filter((m) => m.facility === fac).map((m) => m.id);
    const explained = (x: number) =>
      within(labels, x, margin, (l) => PROCESS.includes(l.kind) && (l.facility === fac || served.includes(l.facility!))) || within(labels, x, 0, (l) => meters.includes(l.meter!));
    if (!run.every(explained)) problems.push(`${fac} off while production runs, ${run.length} min from ${new Date(run[0]).toISOString()}`);
  };
  for (const x of o.times) {
    const now = o.unprotected(x);
    for (const fac of now) runs.set(fac, [...(runs.get(fac) ?? []), x]);
    for (const fac of [...runs.keys()]) if (!now.includes(fac)) flush(fac);
  }
  for (const fac of [...runs.keys()]) flush(fac);
  for (const [meter, rs] of o.byMeter) {
    rs.forEach((r, i) => {
      const here = (kind: string) => within(labels, r.t, 0, (l) => l.meter === meter && l.kind === kind);
      if (r.values.p < 0 && !here('reversed-ct')) problems.push(`${meter} negative power at ${r.t}`);
      if ([r.values.u1, r.values.u2, r.values.u3].some((u) => u < 100) && !here('lost-phase')) problems.push(`${meter} phase lost at ${r.t}`);
      const prev = rs[i - 1];
      if (!prev) return;
      if (r.values.ei < prev.values.ei && !here('energy-reset')) problems.push(`${meter} energy went back at ${r.t}`);
      if (r.t - prev.t > MIN_MS && !within(labels, prev.t + MIN_MS, 0, (l) => l.meter === meter)) problems.push(`${meter} gap after ${prev.t}`);
      if (JSON.stringify(r.values) === JSON.stringify(prev.values) && !here('frozen')) problems.push(`${meter} frozen at ${r.t}`);
    });
  }
  return problems;
}

t.test('sim history – 30 days of each example site: time-ordered readings, every label shows, clean windows stay clean', async (t) => {
  for (const file of SITES) {
    const site = loadSite(file);
    const { readings, truth } = await history(t, 30, [], file);
    t.equal(truth.enterpriseId, site.id);
    t.equal(truth.to - truth.from, 30 * 86_400_000);
    t.ok(readings.every((r, i) => i === 0 || r.t >= readings[i - 1].t), `${site.id}: ${readings.length} readings in time order`);
    t.ok(readings.every((r) => r.t >= truth.from && r.t < truth.to), 'all inside the history window');
    const o = new Observed(site, readings);
    for (const label of truth.labels) t.ok(shows(o, label, truth), `${label.id} (${label.kind}, ${label.facility ?? label.meter ?? 'site'}) shows in its window`);
    t.same(cleanProblems(o, truth.labels), [], `${site.id}: outside the labels nothing a model would flag`);
    t.ok(truth.labels.every((l) => l.models.length > 0 || l.kind === 'slow'), 'each label names the models expected to fire');
    if (site.id !== 'hn-cement-01') continue;
    const kinds = new Set(truth.labels.map((l) => l.kind));
    t.ok(kinds.size >= 12, `labels of ${kinds.size} kinds: ${[...kinds].join(', ')}`);
    const stop = truth.labels.find((l) => l.kind === 'stop-order')!;
    t.match(truth.orders.find((r) => r.id === stop.orderId), { kind: 'stop', enterpriseId: site.id, obeyed: false }, 'a breached stop order comes with its order');
    t.match(truth.orders.find((r) => r.kind === 'limit'), { limitPct: 30, obeyed: true }, 'an obeyed limit order is emitted without a label');
    t.notOk(truth.labels.some((l) => l.scenario === 'limit-obeyed'));
    const declared = truth.labels.find((l) => l.scenario === 'dust-maintenance')!;
    t.match(truth.notices.find((n) => n.id === declared.noticeId), { facility: 'mill-dust', reason: /declared maintenance/ }, 'a declared window comes with its notice');
    t.ok(truth.labels.find((l) => l.kind === 'treatment-off')!.models.includes('treatment-off'));
  }
});

t.test('sim history – --clean gives a run with no labels and nothing to flag', async (t) => {
  const site = loadSite(SITES[0]);
  const { readings, truth } = await history(t, 7, ['--clean']);
  t.same([truth.labels, truth.orders, truth.notices], [[], [], []]);
  t.same(cleanProblems(new Observed(site, readings), []), []);
});
