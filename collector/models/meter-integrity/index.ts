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
/** One bit per kind, in KINDS order: a reading's conditions as a number, no allocation. */
const BIT = Object.fromEntries(KINDS.map((k, i) => [k, 1 << i])) as Record<Kind, number>;

/** Counter resolution (kWh): a smaller step back is rounding, not a meter fault. */
const COUNTER_EPSILON_KWH = 0.001;

type Values = FacilityReading['values'];

/** The reading's values without those flagged bad (most readings have no flags: no copy). */
function usable(r: FacilityReading): Values {
  if (!r.quality) return r.values;
  const out: Values = { ...r.values };
  for (const q of Object.keys(r.quality) as Quantity[]) delete out[q];
  return out;
}

/** The conditions one reading shows (BIT flags), given the meter's previous reading's values. */
function conditions(v: Values, prev: Values | undefined, p: Params): number {
  let out = 0;
  const { u1, u2, u3, p: power, ei, f, pf } = v;
  if (u1 !== undefined && u2 !== undefined && u3 !== undefined) {
    if (Math.min(u1, u2, u3) < p.phaseLostBelowV! && Math.max(u1, u2, u3) > p.phaseLiveAboveV!) out |= BIT['phase-lost'];
  }
  if (power !== undefined && power < -p.reversedBelowW!) out |= BIT['reversed-power'];
  const prevEi = prev?.ei;
  if (ei !== undefined && prevEi !== undefined && ei < prevEi - COUNTER_EPSILON_KWH) out |= BIT['counter-backwards'];
  const i1 = v.i1 ?? 0;
  const i2 = v.i2 ?? 0;
  const i3 = v.i3 ?? 0;
  const maxV = p.maxVoltageV!;
  if (
    (u1 !== undefined && (u1 < 0 || u1 > maxV)) ||
    (u2 !== undefined && (u2 < 0 || u2 > maxV)) ||
    (u3 !== undefined && (u3 < 0 || u3 > maxV)) ||
    i1 < 0 ||
    i2 < 0 ||
    i3 < 0 ||
    (f !== undefined && (f < p.minFrequencyHz! || f > p.maxFrequencyHz!)) ||
    (pf !== undefined && Math.abs(pf) > 1) ||
    (ei !== undefined && ei < 0)
  ) {
    out |= BIT['out-of-range'];
  }
  if (prev && ((power ?? 0) > p.loadedAboveW! || Math.max(i1, i2, i3) > p.loadedAboveA!)) {
    // Named loads, not a loop over quantity names: this runs for every reading.
    const same =
      u1 === prev.u1 && u2 === prev.u2 && u3 === prev.u3 && v.i1 === prev.i1 && v.i2 === prev.i2 && v.i3 === prev.i3 && power === prev.p;
    const present = u1 !== undefined || u2 !== undefined || u3 !== undefined || v.i1 !== undefined || power !== undefined;
    if (same && present) out |= BIT.frozen;
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
  readsReadings: true,
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
      let prevValues: Values | undefined;
      for (const r of readings) {
        if (prev && r.t - prev.t > gapMs) {
          if (open.size) for (const [kind, run] of open) close(kind, run, true);
          prev = undefined;
          prevValues = undefined;
        }
        const values = r.quality ? usable(r) : r.values;
        const now = conditions(values, prevValues, p);
        // Most readings show nothing and nothing is open: no iteration, no allocation.
        if (open.size) for (const [kind, run] of open) if (!(now & BIT[kind])) close(kind, run, true);
        if (now === 0) {
          prev = r;
          prevValues = values;
          continue;
        }
        for (const kind of KINDS) {
          if (!(now & BIT[kind])) continue;
          const run = open.get(kind);
          if (run) {
            run.last = r;
            run.count++;
            if (run.count === p.minReadings) run.metAt = r.t;
          } else open.set(kind, { first: kind === 'frozen' && prev ? prev : r, last: r, count: 1, metAt: p.minReadings! <= 1 ? r.t : null });
        }
        prev = r;
        prevValues = values;
      }
      for (const [kind, run] of open) close(kind, run, false);
    }
    return events;
  },
};
