// out-of-sync (real time): the treatment starts more than lagMin after its production
// starts, or stops more than lagMin before it stops. A lag of 10 min or more is also seen by
// treatment-off (the off minutes); this rule reports the broken sequence. A treatment that
// does not start within maxLagMin is treatment-off's alone. README.md beside this file.
import type { AlertEvent } from '../contract.js';
import { STATE_CODES } from '../facility-state.js';
import { treatmentLinks } from '../links.js';
import { MINUTE_MS, paramsFor, type Model } from '../model.js';
import { conditionKey, noticeOverlaps } from '../runs.js';
import type { Series } from '../series.js';

const RUNNING = STATE_CODES.running;
const UNKNOWN_STATE = STATE_CODES.unknown;

type Lag = { from: number; to: number; kind: 'late-start' | 'early-stop' };

/** Late starts and early stops of t against p, as index windows where t lagged. */
function lags(p: Series, t: Series, lagMin: number, maxLagMin: number): Lag[] {
  const out: Lag[] = [];
  const n = p.length;
  const pRunning = (i: number) => p.state[i] === RUNNING;
  for (let i = 1; i < n; i++) {
    const before = p.state[i - 1]!;
    const now = p.state[i]!;
    if (before !== UNKNOWN_STATE && before !== RUNNING && now === RUNNING) {
      // Production starts at i: first minute the treatment runs, while production keeps running.
      let u = i;
      while (u < n && u - i < maxLagMin && pRunning(u) && t.state[u] !== RUNNING && t.state[u] !== UNKNOWN_STATE) u++;
      if (u < n && u - i > lagMin && u - i < maxLagMin && t.state[u] === RUNNING && pRunning(u)) {
        out.push({ from: i, to: u, kind: 'late-start' });
      }
    }
    if (before === RUNNING && now !== RUNNING && now !== UNKNOWN_STATE) {
      // Production stops at i: how long before it the treatment had stopped.
      let w = i - 1;
      while (w >= 0 && i - w <= maxLagMin && pRunning(w) && t.state[w] !== RUNNING && t.state[w] !== UNKNOWN_STATE) w--;
      const early = i - 1 - w;
      if (w >= 0 && early > lagMin && early < maxLagMin && t.state[w] === RUNNING && pRunning(w)) {
        out.push({ from: w + 1, to: i, kind: 'early-stop' });
      }
    }
  }
  return out;
}

export const outOfSync: Model = {
  id: 'out-of-sync',
  kind: 'realtime',
  summary: 'Treatment starts late after, or stops early before, its production',
  defaults: { lagMin: 3, maxLagMin: 120 },
  lookbackMs: (p) => (p.maxLagMin! + 1) * MINUTE_MS,
  dwellMs: (p) => (p.lagMin! + 1) * MINUTE_MS,
  evaluate(input) {
    const events: AlertEvent[] = [];
    for (const link of treatmentLinks(input)) {
      const { lagMin, maxLagMin } = paramsFor(outOfSync, input, link.treatment.id);
      const t = link.treatmentSeries;
      link.productionSeries.forEach((p, k) => {
        const production = link.productions[k]!;
        for (const lag of lags(p, t, lagMin!, maxLagMin!)) {
          const from = t.from + lag.from * MINUTE_MS;
          const to = t.from + lag.to * MINUTE_MS;
          if (to <= input.from || from >= input.to) continue;
          const facilities = [production.id, link.treatment.id];
          const minutes = lag.to - lag.from;
          events.push({
            model: outOfSync.id,
            key: conditionKey(outOfSync.id, `${link.treatment.id}/${production.id}`, from),
            enterpriseId: input.enterprise.id,
            facilities,
            severity: 'warning',
            from,
            to,
            ended: true,
            evidence: { kind: lag.kind, lagMinutes: minutes, allowedLagMin: lagMin! },
            declared: noticeOverlaps(input.notices, facilities, from, to),
            message:
              lag.kind === 'late-start'
                ? `${link.treatment.name} started ${minutes} min after ${production.name}`
                : `${link.treatment.name} stopped ${minutes} min before ${production.name}`,
            detectedAt: to,
          });
        }
      });
    }
    return events;
  },
};
