// night-production (daily): a production facility's energy per hour at night (local
// nightStartH–nightEndH) is > ratio × its daytime energy per hour, and its treatment did
// not run alongside (ran during < alongsidePct % of the night's production minutes).
// Hours are counted from local midnight. README.md beside this file.
import type { AlertEvent } from '../contract.js';
import { dayEvent, MIN_KNOWN_SHARE, round, runningAlongside, splitDays, sums } from '../daily.js';
import { treatmentLinks } from '../links.js';
import { HOUR_MS, MINUTE_MS, paramsFor, type Model } from '../model.js';

export const nightProduction: Model = {
  id: 'night-production',
  kind: 'daily',
  summary: 'Production concentrated at night without its treatment running',
  defaults: { nightStartH: 22, nightEndH: 6, ratio: 1.5, alongsidePct: 90, minNightRunMin: 30 },
  lookbackMs: () => 0,
  dwellMs: () => 0,
  evaluate(input) {
    const events: AlertEvent[] = [];
    const { today } = splitDays(input);
    if (!today) return events;
    for (const link of treatmentLinks(input)) {
      link.productions.forEach((production, k) => {
        const { nightStartH, nightEndH, ratio, alongsidePct, minNightRunMin } = paramsFor(nightProduction, input, production.id);
        const isNight = (i: number) => {
          const hour = Math.floor(((i - today.start) * MINUTE_MS) / HOUR_MS);
          return hour >= nightStartH! || hour < nightEndH!;
        };
        const series = [link.productionSeries[k]!];
        const night = sums(series, today.start, today.end, isNight);
        const day = sums(series, today.start, today.end, (i) => !isNight(i));
        if (night.completeMinutes < MIN_KNOWN_SHARE * night.minutes || day.completeMinutes < MIN_KNOWN_SHARE * day.minutes) return;
        const nightPerHour = night.energyKWh / (night.completeMinutes / 60);
        const dayPerHour = day.energyKWh / (day.completeMinutes / 60);
        if (!(nightPerHour > ratio! * dayPerHour)) return;
        const single = { ...link, productions: [production], productionSeries: series };
        const { production: nightRun, both } = runningAlongside(single, today.start, today.end, isNight);
        if (nightRun < minNightRunMin! || both >= (alongsidePct! / 100) * nightRun) return;
        events.push(
          dayEvent({
            model: nightProduction.id,
            subject: `${production.id}/${link.treatment.id}`,
            input,
            facilities: [production.id, link.treatment.id],
            severity: 'warning',
            evidence: {
              nightKWhPerHour: round(nightPerHour),
              dayKWhPerHour: round(dayPerHour),
              nightRunMin: nightRun,
              treatmentAlongsideMin: both,
            },
            message: `${production.name} produced ${round(nightPerHour / Math.max(dayPerHour, 1e-9), 1)}× more per hour at night, ${link.treatment.name} not alongside`,
          }),
        );
      });
    }
    return events;
  },
};
