// treatment-off (real time): linked production running, treatment off, for ≥ dwellMin.
// The catalogue row is in DESIGN.md "The models"; README.md beside this file.
import { STATE_CODES } from '../facility-state.js';
import { anyRunning, linkFacilities, sumPowerAt, treatmentLinks } from '../links.js';
import { MINUTE_MS, paramsFor, type Model } from '../model.js';
import { and3, declaredMask, findRuns, known, meanOf, runEvent, runOverlaps } from '../runs.js';

export const treatmentOff: Model = {
  id: 'treatment-off',
  kind: 'realtime',
  summary: 'Linked production running while the treatment is off',
  defaults: { dwellMin: 10 },
  lookbackMs: (p) => p.dwellMin! * MINUTE_MS,
  dwellMs: (p) => p.dwellMin! * MINUTE_MS,
  evaluate(input) {
    const events = [];
    for (const link of treatmentLinks(input)) {
      const { dwellMin } = paramsFor(treatmentOff, input, link.treatment.id);
      const t = link.treatmentSeries;
      const cond = new Int8Array(t.length);
      const productionW = new Float64Array(t.length);
      for (let i = 0; i < t.length; i++) {
        const state = t.state[i]!;
        cond[i] = and3(anyRunning(link.productionSeries, i), known(state === STATE_CODES.off, state !== STATE_CODES.unknown));
        productionW[i] = sumPowerAt(link.productionSeries, i);
      }
      const facilities = linkFacilities(link);
      for (const run of findRuns(cond, dwellMin!, declaredMask(input.notices, facilities, t.from, t.length))) {
        if (!runOverlaps(run, t.from, input.from, input.to)) continue;
        events.push(
          runEvent({
            model: treatmentOff.id,
            subject: link.treatment.id,
            enterpriseId: input.enterprise.id,
            facilities,
            severity: 'critical',
            base: t.from,
            run,
            dwellMinutes: dwellMin!,
            evidence: {
              productionPowerW: meanOf(productionW, run.start, run.end),
              treatmentPowerW: meanOf(t.powerW, run.start, run.end),
              treatmentOffBelowW: input.levelsAt(link.treatment.id, t.from + run.start * MINUTE_MS)?.offBelowW ?? null,
              dwellMin: dwellMin!,
            },
            message: `${link.treatment.name} off while ${link.productions.map((p) => p.name).join(', ')} ran`,
          }),
        );
      }
    }
    return events;
  },
};
