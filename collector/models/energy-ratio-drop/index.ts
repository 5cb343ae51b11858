// energy-ratio-drop (daily): the day's treatment/production energy ratio is below
// ratioPct % of its median over the historyDays before (days with enough data on which
// production ran at least minProductionMin: a stopped plant's standby draw is no ratio;
// at least minHistoryDays of them). README.md beside this file.
import type { AlertEvent } from '../contract.js';
import { dayEvent, median, MIN_KNOWN_SHARE, round, runningAlongside, splitDays, sums, type Day } from '../daily.js';
import { anyRunning, linkFacilities, treatmentLinks, type Link } from '../links.js';
import { TRUE } from '../runs.js';
import { DAY_MS, paramsFor, type Model } from '../model.js';

/**
 * Treatment over production energy in the day's minutes when production ran. Only those: a
 * stopped kiln's standby draw with its fan rightly off is no drop, and on a day with an hour
 * of running and the rest standby it halved the whole-day ratio.
 */
function ratio(link: Link, day: Day, minProductionMin: number): number | null {
  const whole = sums([link.treatmentSeries, ...link.productionSeries], day.start, day.end);
  if (whole.completeMinutes < MIN_KNOWN_SHARE * whole.minutes) return null;
  if (runningAlongside(link, day.start, day.end).production < minProductionMin) return null;
  const running = (i: number) => anyRunning(link.productionSeries, i) === TRUE;
  const t = sums([link.treatmentSeries], day.start, day.end, running);
  const p = sums(link.productionSeries, day.start, day.end, running);
  if (p.energyKWh <= 0) return null;
  return t.energyKWh / p.energyKWh;
}

export const energyRatioDrop: Model = {
  id: 'energy-ratio-drop',
  kind: 'daily',
  summary: 'Treatment energy per unit of production energy dropped against its 30-day median',
  defaults: { ratioPct: 60, historyDays: 30, minHistoryDays: 7, minProductionMin: 60 },
  lookbackMs: (p) => p.historyDays! * DAY_MS,
  dwellMs: () => 0,
  evaluate(input) {
    const events: AlertEvent[] = [];
    const { today, before } = splitDays(input);
    if (!today) return events;
    for (const link of treatmentLinks(input)) {
      const { ratioPct, historyDays, minHistoryDays, minProductionMin } = paramsFor(energyRatioDrop, input, link.treatment.id);
      const now = ratio(link, today, minProductionMin!);
      if (now === null) continue;
      const history = before
        .slice(-historyDays!)
        .map((d) => ratio(link, d, minProductionMin!))
        .filter((r): r is number => r !== null);
      if (history.length < minHistoryDays!) continue;
      const typical = median(history)!;
      if (now >= (ratioPct! / 100) * typical) continue;
      events.push(
        dayEvent({
          model: energyRatioDrop.id,
          subject: link.treatment.id,
          input,
          facilities: linkFacilities(link),
          severity: 'warning',
          evidence: { ratio: round(now, 4), medianRatio: round(typical, 4), historyDays: history.length, ratioPct: ratioPct! },
          message: `${link.treatment.name}: energy ratio ${round(now, 3)} against a median of ${round(typical, 3)}`,
        }),
      );
    }
    return events;
  },
};
