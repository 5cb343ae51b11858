// frequent-cycling (real time): the treatment starts ≥ starts times within windowMin while
// its production runs (a fan switched on and off to look compliant, or a failing
// contactor). Overlapping windows are one condition. README.md beside this file.
import type { AlertEvent } from '../contract.js';
import { STATE_CODES } from '../facility-state.js';
import { anyRunning, linkFacilities, treatmentLinks, type Link } from '../links.js';
import { MINUTE_MS, paramsFor, type Model } from '../model.js';
import { conditionKey, noticeOverlaps, TRUE, UNKNOWN } from '../runs.js';

interface Burst {
  first: number;
  last: number;
  starts: number;
  detectedAt: number;
  ended: boolean;
}

/**
 * Treatment starts while its production was already running (a start that production's own
 * start explains is the normal sequence, not cycling), in stretches without unknown minutes,
 * grouped into bursts of `startsNeeded` starts within `windowMin`.
 */
function bursts(link: Link, startsNeeded: number, windowMin: number): Burst[] {
  const t = link.treatmentSeries;
  const n = t.length;
  const out: Burst[] = [];
  let stretch: number[] = [];
  let lastKnown = -1;
  const close = (end: number) => {
    let current: Burst | null = null;
    for (let k = 0; k + startsNeeded - 1 < stretch.length; k++) {
      const a = stretch[k]!;
      const b = stretch[k + startsNeeded - 1]!;
      if (b - a >= windowMin) continue;
      if (current && a <= current.last) current.last = b;
      else out.push((current = { first: a, last: b, starts: 0, detectedAt: b, ended: false }));
    }
    for (const burst of out) {
      if (burst.ended) continue;
      burst.starts = stretch.filter((s) => s >= burst.first && s <= burst.last).length;
      burst.ended = end < n || burst.last + windowMin <= lastKnown;
    }
    stretch = [];
  };
  for (let j = 0; j < n; j++) {
    const production = anyRunning(link.productionSeries, j);
    if (t.state[j] === STATE_CODES.unknown || production === UNKNOWN) {
      if (stretch.length) close(j);
      continue;
    }
    lastKnown = j;
    const before = j > 0 ? t.state[j - 1]! : STATE_CODES.unknown;
    const started = before !== STATE_CODES.unknown && before !== STATE_CODES.running && t.state[j] === STATE_CODES.running;
    if (started && production === TRUE && anyRunning(link.productionSeries, j - 1) === TRUE) stretch.push(j);
  }
  close(n);
  return out;
}

export const frequentCycling: Model = {
  id: 'frequent-cycling',
  kind: 'realtime',
  summary: 'Treatment switched on and off repeatedly while production runs',
  defaults: { starts: 6, windowMin: 120 },
  lookbackMs: (p) => p.windowMin! * MINUTE_MS,
  dwellMs: () => 0,
  evaluate(input) {
    const events: AlertEvent[] = [];
    for (const link of treatmentLinks(input)) {
      const { starts, windowMin } = paramsFor(frequentCycling, input, link.treatment.id);
      const base = link.treatmentSeries.from;
      const facilities = linkFacilities(link);
      for (const burst of bursts(link, starts!, windowMin!)) {
        const from = base + burst.first * MINUTE_MS;
        const to = base + (burst.last + 1) * MINUTE_MS;
        if (to <= input.from || from >= input.to) continue;
        events.push({
          model: frequentCycling.id,
          key: conditionKey(frequentCycling.id, link.treatment.id, from),
          enterpriseId: input.enterprise.id,
          facilities,
          severity: 'warning',
          from,
          to,
          ended: burst.ended,
          evidence: { starts: burst.starts, windowMin: windowMin!, startsAllowed: starts! - 1 },
          declared: noticeOverlaps(input.notices, facilities, from, to),
          message: `${link.treatment.name} started ${burst.starts} times within ${windowMin} min while production ran`,
          detectedAt: base + (burst.detectedAt + 1) * MINUTE_MS,
        });
      }
    }
    return events;
  },
};
