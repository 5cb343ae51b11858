// treatment-weak (real time): production running, the treatment on (idle or running) but
// drawing < ratioPct % of its running level for ≥ dwellMin: idling, throttled, bypassed.
// An `off` treatment is treatment-off's, not this rule's. README.md beside this file.
import { STATE_CODES } from '../facility-state.js';
import { anyRunning, linkFacilities, treatmentLinks } from '../links.js';
import { MINUTE_MS, paramsFor, type Model } from '../model.js';
import { and3, declaredMask, findRuns, meanOf, runEvent, runOverlaps, FALSE, TRUE, UNKNOWN } from '../runs.js';

export const treatmentWeak: Model = {
  id: 'treatment-weak',
  kind: 'realtime',
  summary: 'Treatment on but far below its running level while production runs',
  defaults: { dwellMin: 30, ratioPct: 50 },
  lookbackMs: (p) => p.dwellMin! * MINUTE_MS,
  dwellMs: (p) => p.dwellMin! * MINUTE_MS,
  evaluate(input) {
    const events = [];
    for (const link of treatmentLinks(input)) {
      const { dwellMin, ratioPct } = paramsFor(treatmentWeak, input, link.treatment.id);
      const t = link.treatmentSeries;
      const cond = new Int8Array(t.length);
      for (let i = 0; i < t.length; i++) {
        const state = t.state[i]!;
        let weak = UNKNOWN;
        if (state === STATE_CODES.off) weak = FALSE;
        else if (state !== STATE_CODES.unknown) {
          const level = input.levelsAt(link.treatment.id, t.from + i * MINUTE_MS)?.runningLevelW;
          weak = level !== undefined && t.powerW[i]! < (ratioPct! / 100) * level ? TRUE : FALSE;
        }
        cond[i] = and3(anyRunning(link.productionSeries, i), weak);
      }
      const facilities = linkFacilities(link);
      for (const run of findRuns(cond, dwellMin!, declaredMask(input.notices, facilities, t.from, t.length))) {
        if (!runOverlaps(run, t.from, input.from, input.to)) continue;
        const level = input.levelsAt(link.treatment.id, t.from + run.start * MINUTE_MS)?.runningLevelW ?? null;
        const powerW = meanOf(t.powerW, run.start, run.end);
        events.push(
          runEvent({
            model: treatmentWeak.id,
            subject: link.treatment.id,
            enterpriseId: input.enterprise.id,
            facilities,
            severity: 'warning',
            base: t.from,
            run,
            dwellMinutes: dwellMin!,
            evidence: {
              treatmentPowerW: powerW,
              runningLevelW: level,
              percentOfLevel: level && powerW !== null ? Math.round((powerW / level) * 100) : null,
              ratioPct: ratioPct!,
              dwellMin: dwellMin!,
            },
            message: `${link.treatment.name} at ${level && powerW !== null ? Math.round((powerW / level) * 100) : '?'} % of its running level while production ran`,
          }),
        );
      }
    }
    return events;
  },
};
