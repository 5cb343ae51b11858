// Scoring (issue 6): the simulator's history of some sites, with its ground-truth labels,
// replayed through rollup → states → models by the same engine that runs live, then each
// label checked against the alerts. Per model: injected cases, detected, missed, declared
// (a case under a notice whose alert was recorded declared), false alerts (overlapping no
// label at all), consequences (overlapping a label of another kind: a two-day treatment-off
// also makes its days runtime-short), and the median detection delay.
import { simulateHistory, type GroundTruth, type Label, type Site } from '../../firmware-sim/index.js';
import type { Reading } from '../../protocol/index.js';
import type { AlertEvent } from './contract.js';
import { createEngine } from './engine.js';
import { MemorySource } from './memory-source.js';
import { MINUTE_MS, type Model } from './model.js';
import { MODELS } from './registry.js';
import { qualifiedIds, sitesRegistry } from './site-registry.js';

export interface ScoreOptions {
  sites: Site[];
  days: number;
  /** End of the history (ms). */
  end: number;
  /** false: a clean run, no scenario played. */
  scenarios?: boolean;
  /** Declare a notice over every scenario (alerts should come out declared). */
  notices?: boolean;
  models?: readonly Model[];
}

export interface ModelScore {
  model: string;
  cases: number;
  detected: number;
  missed: number;
  declared: number;
  falseAlerts: number;
  consequences: number;
  alerts: number;
  medianDelayMin: number | null;
}

export interface ScoreResult {
  rows: ModelScore[];
  alerts: AlertEvent[];
  labels: Label[];
  missed: { model: string; label: Label }[];
  falseAlerts: AlertEvent[];
  readings: number;
  elapsedMs: number;
  /** Of elapsedMs: running the engine and the models over the stored history. */
  evaluateMs: number;
}

/** Models that score a list, not detections. */
const NOT_DETECTORS = new Set(['risk-ranking']);

function withNotices(site: Site): Site {
  return { ...site, sim: { ...site.sim, scenarios: site.sim.scenarios.map((s) => ({ ...s, notice: s.notice ?? `declared ${s.kind}` })) } };
}

/** Facilities a label concerns (its facility, its meter's facility, or none for the whole enterprise), as registered. */
function labelFacilities(label: Label, sites: readonly Site[]): string[] {
  const local = label.facility ?? (label.meter && sites.find((s) => s.id === label.enterpriseId)?.meters.find((m) => m.id === label.meter)?.facility);
  return local ? [qualifiedIds(label.enterpriseId, local)] : [];
}

function matches(alert: AlertEvent, label: Label, facilities: string[]): boolean {
  return (
    alert.enterpriseId === label.enterpriseId &&
    alert.from < label.to &&
    alert.to > label.from &&
    (facilities.length === 0 || facilities.some((f) => alert.facilities.includes(f)))
  );
}

function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function score(options: ScoreOptions): Promise<ScoreResult> {
  const started = performance.now();
  const models = options.models ?? MODELS;
  const sites = options.notices ? options.sites.map(withNotices) : options.sites;
  const truth: GroundTruth = { labels: [], orders: [], notices: [] };
  const histories = sites.map((site) => {
    const h = simulateHistory(site, { days: options.days, end: options.end, scenarios: options.scenarios !== false });
    truth.labels.push(...h.labels);
    truth.orders.push(...h.orders);
    truth.notices.push(...h.notices);
    return h;
  });
  const source = new MemorySource(sitesRegistry(sites, truth, qualifiedIds));
  const latest = new Map<string, AlertEvent>();
  const engine = createEngine({ source, tickMs: 0, models, sink: { upsert: (event) => void latest.set(event.key, event) } });
  let seq = 0n;
  let count = 0;
  for (const h of histories) {
    let batch: Reading[] = [];
    for (const r of h.readings) {
      batch.push({ seq: ++seq, meter: r.meter, t: r.t, values: r.values });
      if (batch.length >= 50_000) {
        engine.onStored(source.store(batch));
        count += batch.length;
        batch = [];
      }
    }
    engine.onStored(source.store(batch));
    count += batch.length;
  }
  const evaluating = performance.now();
  await engine.flush();
  await engine.close();
  const evaluateMs = performance.now() - evaluating;
  const alerts = [...latest.values()].filter((a) => !a.withdrawn);
  return { ...tally(models, alerts, truth.labels, sites), alerts, labels: truth.labels, readings: count, elapsedMs: performance.now() - started, evaluateMs };
}

function tally(
  models: readonly Model[],
  alerts: AlertEvent[],
  labels: Label[],
  sites: readonly Site[],
): Pick<ScoreResult, 'rows' | 'missed' | 'falseAlerts'> {
  const missed: ScoreResult['missed'] = [];
  const falseAlerts: AlertEvent[] = [];
  const rows = models.map((model): ModelScore => {
    const own = alerts.filter((a) => a.model === model.id);
    const cases = labels.filter((l) => l.models.includes(model.id));
    const delays: number[] = [];
    let detected = 0;
    let declared = 0;
    for (const label of cases) {
      const facilities = labelFacilities(label, sites);
      const hits = own.filter((a) => matches(a, label, facilities));
      if (hits.length === 0) {
        missed.push({ model: model.id, label });
        continue;
      }
      detected++;
      if (label.noticeId && hits.every((a) => a.declared)) declared++;
      delays.push(Math.max(0, Math.min(...hits.map((a) => a.detectedAt ?? a.to)) - label.from) / MINUTE_MS);
    }
    let falses = 0;
    let consequences = 0;
    if (!NOT_DETECTORS.has(model.id)) {
      for (const alert of own) {
        if (cases.some((l) => matches(alert, l, labelFacilities(l, sites)))) continue;
        if (labels.some((l) => matches(alert, l, labelFacilities(l, sites)))) consequences++;
        else {
          falses++;
          falseAlerts.push(alert);
        }
      }
    }
    return {
      model: model.id,
      cases: cases.length,
      detected,
      missed: cases.length - detected,
      declared,
      falseAlerts: falses,
      consequences,
      alerts: own.length,
      medianDelayMin: median(delays),
    };
  });
  return { rows, missed, falseAlerts };
}

/** The score table as text lines. */
export function formatScore(result: ScoreResult): string[] {
  const header = ['model', 'cases', 'detected', 'missed', 'declared', 'false', 'consequence', 'alerts', 'median delay'];
  const body = result.rows.map((r) => [
    r.model,
    String(r.cases),
    String(r.detected),
    String(r.missed),
    String(r.declared),
    NOT_DETECTORS.has(r.model) ? 'n/a' : String(r.falseAlerts),
    NOT_DETECTORS.has(r.model) ? 'n/a' : String(r.consequences),
    String(r.alerts),
    r.medianDelayMin === null ? '-' : `${Math.round(r.medianDelayMin)} min`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), ...body.map(line)];
}
