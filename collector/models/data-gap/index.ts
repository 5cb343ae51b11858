// data-gap (real time): a facility's meters silent ≥ max(minGapMin, pollIntervals × the
// poll interval), its gateway offline included (then every facility is silent). Minutes in
// [to, asOf) have not arrived yet and count as silent. When the data arrives, backlog
// included, re-evaluation no longer finds the gap and the engine withdraws the alert
// (DESIGN.md: "resolves itself when data (including backlog) arrives"). Silence before a
// facility first reported is commissioning, not a gap. README.md beside this file.
import type { AlertEvent } from '../contract.js';
import { DEFAULT_POLL_INTERVAL_S } from '../input.js';
import { MINUTE_MS, paramsFor, type Model } from '../model.js';
import { declaredMask, findRuns, runEvent, runOverlaps, FALSE, TRUE } from '../runs.js';

function firstComplete(complete: Uint8Array, from: number): number | undefined {
  const i = complete.indexOf(1);
  return i < 0 ? undefined : from + i * MINUTE_MS;
}

export const dataGap: Model = {
  id: 'data-gap',
  kind: 'realtime',
  summary: 'A meter or its gateway silent longer than a few polls',
  defaults: { minGapMin: 5, pollIntervals: 3 },
  lookbackMs: (p) => p.minGapMin! * MINUTE_MS,
  dwellMs: (p) => p.minGapMin! * MINUTE_MS,
  evaluate(input) {
    const events: AlertEvent[] = [];
    const pollS = input.enterprise.pollIntervalS ?? DEFAULT_POLL_INTERVAL_S;
    const length = Math.round((input.asOf - input.dataFrom) / MINUTE_MS);
    for (const facility of input.facilities) {
      if (facility.meterIds.length === 0) continue;
      const { minGapMin, pollIntervals } = paramsFor(dataGap, input, facility.id);
      const gapMin = Math.max(minGapMin!, Math.ceil((pollIntervals! * pollS) / 60));
      const series = input.series.get(facility.id);
      const cond = new Int8Array(length).fill(TRUE);
      if (series) for (let i = 0; i < series.length; i++) cond[i] = series.complete[i] ? FALSE : TRUE;
      const first = input.firstData.get(facility.id) ?? (series ? firstComplete(series.complete, input.dataFrom) : undefined);
      if (first === undefined) continue;
      cond.fill(FALSE, 0, Math.max(0, Math.min(length, Math.round((first - input.dataFrom) / MINUTE_MS))));
      for (const run of findRuns(cond, gapMin, declaredMask(input.notices, [facility.id], input.dataFrom, length))) {
        if (!runOverlaps(run, input.dataFrom, input.from, input.asOf)) continue;
        events.push(
          runEvent({
            model: dataGap.id,
            subject: facility.id,
            enterpriseId: input.enterprise.id,
            facilities: [facility.id],
            severity: 'warning',
            base: input.dataFrom,
            run,
            dwellMinutes: gapMin,
            evidence: { meters: facility.meterIds.join(' '), gapMin, pollIntervalS: pollS },
            message: `no complete data from ${facility.name} for ${run.end - run.start} min`,
          }),
        );
      }
    }
    return events;
  },
};
