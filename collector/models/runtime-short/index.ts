// runtime-short (daily): over a local day, the treatment ran during < ratioPct % of the
// minutes its linked production ran. Days with too little data are left to data-gap.
// README.md beside this file.
import type { AlertEvent } from '../contract.js';
import { dayEvent, MIN_KNOWN_SHARE, round, runningAlongside, splitDays, sums } from '../daily.js';
import { linkFacilities, treatmentLinks } from '../links.js';
import { paramsFor, type Model } from '../model.js';

export const runtimeShort: Model = {
  id: 'runtime-short',
  kind: 'daily',
  summary: "Treatment ran for less of the day than its production did",
  defaults: { ratioPct: 90, minProductionMin: 60 },
  lookbackMs: () => 0,
  dwellMs: () => 0,
  evaluate(input) {
    const events: AlertEvent[] = [];
    const { today } = splitDays(input);
    if (!today) return events;
    for (const link of treatmentLinks(input)) {
      const { ratioPct, minProductionMin } = paramsFor(runtimeShort, input, link.treatment.id);
      const known = sums([link.treatmentSeries, ...link.productionSeries], today.start, today.end);
      if (known.completeMinutes < MIN_KNOWN_SHARE * known.minutes) continue;
      const { production, both } = runningAlongside(link, today.start, today.end);
      if (production < minProductionMin!) continue;
      const pct = (both / production) * 100;
      if (pct >= ratioPct!) continue;
      events.push(
        dayEvent({
          model: runtimeShort.id,
          subject: link.treatment.id,
          input,
          facilities: linkFacilities(link),
          severity: 'warning',
          evidence: { productionRunMin: production, treatmentAlongsideMin: both, percent: round(pct, 1), ratioPct: ratioPct! },
          message: `${link.treatment.name} ran ${round(pct, 1)} % of its production's running time`,
        }),
      );
    }
    return events;
  },
};
