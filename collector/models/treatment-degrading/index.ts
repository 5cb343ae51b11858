// treatment-degrading (advance): over windowDays, the treatment's running power (median
// of the minutes it ran alongside production) fell > dropPct % from the first sampleDays
// to the last sampleDays, while production's running power stayed within steadyPct %:
// a clogging filter or a slipping belt, to be serviced before it fails. README.md beside this file.
import type { AlertEvent } from '../contract.js';
import { dayEvent, median, round, splitDays, type Day } from '../daily.js';
import { STATE_CODES } from '../facility-state.js';
import { anyRunning, linkFacilities, sumPowerAt, treatmentLinks, type Link } from '../links.js';
import { DAY_MS, paramsFor, type Model } from '../model.js';
import { TRUE } from '../runs.js';

/** Medians of treatment and production power over the minutes both ran in the days. */
function levels(link: Link, days: Day[]): { treatmentW: number | null; productionW: number | null; minutes: number } {
  const t: number[] = [];
  const p: number[] = [];
  for (const day of days) {
    for (let i = day.start; i < day.end; i++) {
      if (link.treatmentSeries.state[i] !== STATE_CODES.running || anyRunning(link.productionSeries, i) !== TRUE) continue;
      t.push(link.treatmentSeries.powerW[i]!);
      p.push(sumPowerAt(link.productionSeries, i));
    }
  }
  return { treatmentW: median(t), productionW: median(p), minutes: t.length };
}

export const treatmentDegrading: Model = {
  id: 'treatment-degrading',
  kind: 'advance',
  summary: 'Treatment running power sliding while production is steady: service it before it fails',
  defaults: { windowDays: 14, sampleDays: 3, dropPct: 15, steadyPct: 10, minSampleMin: 120 },
  lookbackMs: (p) => (p.windowDays! - 1) * DAY_MS,
  dwellMs: () => 0,
  evaluate(input) {
    const events: AlertEvent[] = [];
    const { today, before } = splitDays(input);
    if (!today) return events;
    for (const link of treatmentLinks(input)) {
      const { windowDays, sampleDays, dropPct, steadyPct, minSampleMin } = paramsFor(treatmentDegrading, input, link.treatment.id);
      const window = [...before.slice(-(windowDays! - 1)), today];
      if (window.length < windowDays!) continue;
      const early = levels(link, window.slice(0, sampleDays!));
      const late = levels(link, window.slice(-sampleDays!));
      if (early.minutes < minSampleMin! || late.minutes < minSampleMin!) continue;
      const drop = 1 - late.treatmentW! / early.treatmentW!;
      const productionChange = Math.abs(late.productionW! / early.productionW! - 1);
      if (drop <= dropPct! / 100 || productionChange >= steadyPct! / 100) continue;
      events.push(
        dayEvent({
          model: treatmentDegrading.id,
          subject: link.treatment.id,
          input,
          facilities: linkFacilities(link),
          severity: 'info',
          windowFrom: window[0]!.dayStart,
          evidence: {
            earlyTreatmentW: round(early.treatmentW!, 0),
            lateTreatmentW: round(late.treatmentW!, 0),
            dropPercent: round(drop * 100, 1),
            productionChangePercent: round(productionChange * 100, 1),
            windowDays: windowDays!,
          },
          message: `${link.treatment.name} running power down ${round(drop * 100, 1)} % in ${windowDays} days at steady production`,
        }),
      );
    }
    return events;
  },
};
