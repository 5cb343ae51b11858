// meter-integrity (real time), from raw readings: phase voltage lost, negative active power
// (a reversed CT), the energy counter going backwards, values frozen ≥ frozenMin while
// loaded, values out of range. A silence longer than max(3 polls, 5 min) breaks a run, as
// a gap does for minute rules. README.md beside this file.
import type { AlertEvent, FacilityReading } from '../contract.js';
import { DEFAULT_POLL_INTERVAL_S } from '../input.js';
import { MINUTE_MS, paramsFor, type Model, type Params } from '../model.js';
import { conditionKey, noticeOverlaps } from '../runs.js';
import type { Quantity } from '../../../protocol/index.js';

const KINDS = ['phase-lost', 'reversed-power', 'counter-backwards', 'frozen', 'out-of-range'] as const;
type Kind = (typeof KINDS)[number];

const PHASES: Quantity[] = ['u1', 'u2', 'u3'];
const CURRENTS: Quantity[] = ['i1', 'i2', 'i3'];
const FROZEN_QUANTITIES: Quantity[] = ['u1', 'u2', 'u3', 'i1', 'i2', 'i3', 'p'];
/** Counter resolution (kWh): a smaller step back is rounding, not a meter fault. */
const COUNTER_EPSILON_KWH = 0.001;

function value(r: FacilityReading, q: Quantity): number | undefined {
  return r.quality?.[q] ? undefined : r.values[q];
}

/** The conditions one reading shows, given the meter's previous reading. */
function conditions(r: FacilityReading, prev: FacilityReading | undefined, p: Params): Set<Kind> {
  const out = new Set<Kind>();
  const u = PHASES.map((q) => value(r, q)).filter((v): v is number => v !== undefined);
  if (u.length === 3 && Math.min(...u) < p.phaseLostBelowV! && Math.max(...u) > p.phaseLiveAboveV!) out.add('phase-lost');
  const power = value(r, 'p');
  if (power !== undefined && power < -p.reversedBelowW!) out.add('reversed-power');
  const ei = value(r, 'ei');
  const prevEi = prev && value(prev, 'ei');
  if (ei !== undefined && prevEi !== undefined && ei < prevEi - COUNTER_EPSILON_KWH) out.add('counter-backwards');
  const f = value(r, 'f');
  const pf = value(r, 'pf');
  const currents = CURRENTS.map((q) => value(r, q)).filter((v): v is number => v !== undefined);
  if (
    u.some((v) => v < 0 || v > p.maxVoltageV!) ||
    currents.some((v) => v < 0) ||
    (f !== undefined && (f < p.minFrequencyHz! || f > p.maxFrequencyHz!)) ||
    (pf !== undefined && Math.abs(pf) > 1) ||
    (ei !== undefined && ei < 0)
  ) {
    out.add('out-of-range');
  }
  if (prev) {
    const present = FROZEN_QUANTITIES.filter((q) => value(r, q) !== undefined);
    const loaded = (power ?? 0) > p.loadedAboveW! || currents.some((v) => v > p.loadedAboveA!);
    if (loaded && present.length > 0 && present.every((q) => value(r, q) === value(prev, q))) out.add('frozen');
  }
  return out;
}

interface Open {
  first: FacilityReading;
  last: FacilityReading;
  count: number;
  /** When the run reached minReadings (the rule was met). */
  metAt: number | null;
}

export const meterIntegrity: Model = {
  id: 'meter-integrity',
  kind: 'realtime',
  summary: 'Meter faults: lost phase, reversed CT, counter backwards, frozen or impossible values',
  defaults: {
    phaseLostBelowV: 50,
    phaseLiveAboveV: 150,
    reversedBelowW: 50,
    maxVoltageV: 1000,
    minFrequencyHz: 45,
    maxFrequencyHz: 65,
    loadedAboveW: 100,
    loadedAboveA: 0.1,
    frozenMin: 30,
    minReadings: 2,
  },
  lookbackMs: (p) => (p.frozenMin! + 5) * MINUTE_MS,
  dwellMs: () => 0,
  evaluate(input) {
    const events: AlertEvent[] = [];
    const byMeter = new Map<string, FacilityReading[]>();
    for (const r of input.readings) {
      let list = byMeter.get(r.meter);
      if (!list) byMeter.set(r.meter, (list = []));
      list.push(r);
    }
    const gapMs = Math.max(5 * MINUTE_MS, 3 * (input.enterprise.pollIntervalS ?? DEFAULT_POLL_INTERVAL_S) * 1000);
    for (const [meter, readings] of byMeter) {
      const facility = readings[0]!.facility;
      const p = paramsFor(meterIntegrity, input, facility);
      const open = new Map<Kind, Open>();
      const close = (kind: Kind, run: Open, ended: boolean) => {
        open.delete(kind);
        const from = Math.floor(run.first.t / MINUTE_MS) * MINUTE_MS;
        const to = Math.floor(run.last.t / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
        const enough =
          kind === 'frozen' ? run.last.t - run.first.t >= p.frozenMin! * MINUTE_MS : kind === 'counter-backwards' || run.count >= p.minReadings!;
        if (!enough || to <= input.from || from >= input.to) return;
        events.push({
          model: meterIntegrity.id,
          key: conditionKey(meterIntegrity.id, `${meter}/${kind}`, from),
          enterpriseId: input.enterprise.id,
          facilities: [facility],
          severity: 'warning',
          from,
          to,
          ended,
          evidence: { meter, kind, readings: run.count, ...run.last.values },
          declared: noticeOverlaps(input.notices, [facility], from, to),
          message: `meter ${meter}: ${kind}`,
          detectedAt: kind === 'frozen' ? run.first.t + p.frozenMin! * MINUTE_MS : (run.metAt ?? run.first.t),
        });
      };
      let prev: FacilityReading | undefined;
      for (const r of readings) {
        if (prev && r.t - prev.t > gapMs) {
          for (const [kind, run] of open) close(kind, run, true);
          prev = undefined;
        }
        const now = conditions(r, prev, p);
        for (const [kind, run] of open) if (!now.has(kind)) close(kind, run, true);
        for (const kind of now) {
          const run = open.get(kind);
          if (run) {
            run.last = r;
            run.count++;
            if (run.count === p.minReadings) run.metAt = r.t;
          } else open.set(kind, { first: kind === 'frozen' && prev ? prev : r, last: r, count: 1, metAt: p.minReadings! <= 1 ? r.t : null });
        }
        prev = r;
      }
      for (const [kind, run] of open) close(kind, run, false);
    }
    return events;
  },
};
