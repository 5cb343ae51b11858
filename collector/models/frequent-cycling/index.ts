// frequent-cycling (real time): the treatment starts ≥ starts times within windowMin while
// its production runs continuously (a fan switched on and off to look compliant, or a
// failing contactor). Overlapping windows are one condition. README.md beside this file.
import type { AlertEvent } from '../contract.js';
import { STATE_CODES } from '../facility-state.js';
import { anyRunning, linkFacilities, treatmentLinks, type Link } from '../links.js';
import { MINUTE_MS, paramsFor, type Model } from '../model.js';
import { conditionKey, noticeOverlaps, TRUE } from '../runs.js';

interface Burst {
  first: number;
  last: number;
  starts: number;
  detectedAt: number;
  ended: boolean;
}

/** Treatment start indices inside each continuous production run, grouped into bursts. */
function bursts(link: Link, startsNeeded: number, windowMin: number): Burst[] {
  const t = link.treatmentSeries;
  const n = t.length;
  let lastKnown = n - 1;
  while (lastKnown >= 0 && t.state[lastKnown] === STATE_CODES.unknown) lastKnown--;
  const out: Burst[] = [];
  let i = 0;
  while (i < n) {
    if (anyRunning(link.productionSeries, i) !== TRUE) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < n && anyRunning(link.productionSeries, end) === TRUE) end++;
    const starts: number[] = [];
    for (let j = i + 1; j < end; j++) {
      const before = t.state[j - 1]!;
      if (before !== STATE_CODES.unknown && before !== STATE_CODES.running && t.state[j] === STATE_CODES.running) starts.push(j);
    }
    let current: Burst | null = null;
    for (let k = 0; k + startsNeeded - 1 < starts.length; k++) {
      const a = starts[k]!;
      const b = starts[k + startsNeeded - 1]!;
      if (b - a >= windowMin) continue;
      if (current && a <= current.last) {
        current.last = b;
        current.starts = starts.filter((s) => s >= current!.first && s <= b).length;
      } else {
        current = { first: a, last: b, starts: startsNeeded, detectedAt: b, ended: false };
        out.push(current);
      }
    }
    for (const burst of out) if (!burst.ended) burst.ended = end < n || burst.last + windowMin <= lastKnown;
    i = end;
  }
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
