// risk-ranking (advance): each local day, a risk score 0–100 per enterprise over the last
// windowDays, for planning inspections; rankEnterprises() orders the day's scores. The
// "recent alerts" part is re-derived from the same minutes (production running with its
// treatment off or idle), so the score is a function of event-time data only, like every
// model. Score = 50·min(1, violation min / violationScaleMin) + 30·incomplete share
// + 20·(1 − treatment-alongside share). README.md beside this file.
import type { AlertEvent } from '../contract.js';
import { daysOf, dayEvent, round } from '../daily.js';
import { STATE_CODES } from '../facility-state.js';
import { anyRunning, treatmentLinks } from '../links.js';
import { DAY_MS, MINUTE_MS, paramsFor, type Model } from '../model.js';
import { TRUE } from '../runs.js';

const VIOLATION_WEIGHT = 50;
const DATA_WEIGHT = 30;
const RUNTIME_WEIGHT = 20;

export const riskRanking: Model = {
  id: 'risk-ranking',
  kind: 'advance',
  summary: 'A daily risk score per enterprise, ranked, for planning inspections',
  defaults: { windowDays: 7, violationScaleMin: 120 },
  lookbackMs: (p) => (p.windowDays! - 1) * DAY_MS,
  dwellMs: () => 0,
  evaluate(input) {
    const { windowDays, violationScaleMin } = paramsFor(riskRanking, input);
    const days = daysOf(input).filter((d) => d.dayStart <= input.from).slice(-windowDays!);
    if (!days.some((d) => d.dayStart === input.from)) return [];
    let violation = 0;
    let production = 0;
    let alongside = 0;
    for (const link of treatmentLinks(input)) {
      for (const day of days) {
        for (let i = day.start; i < day.end; i++) {
          if (anyRunning(link.productionSeries, i) !== TRUE) continue;
          production++;
          const state = link.treatmentSeries.state[i];
          if (state === STATE_CODES.running) alongside++;
          else if (state === STATE_CODES.off || state === STATE_CODES.idle) violation++;
        }
      }
    }
    let incomplete = 0;
    let total = 0;
    for (const f of input.facilities) {
      const s = input.series.get(f.id);
      const first = input.firstData.get(f.id);
      if (!s || f.meterIds.length === 0 || first === undefined) continue;
      // Before a facility first reported it was not yet metered: not missing data.
      const since = Math.max(0, Math.ceil((first - input.dataFrom) / MINUTE_MS));
      for (const day of days) {
        for (let i = Math.max(day.start, since); i < day.end; i++, total++) if (!s.complete[i]) incomplete++;
      }
    }
    const incompleteShare = total ? incomplete / total : 1;
    const alongsideShare = production ? alongside / production : 1;
    const score =
      VIOLATION_WEIGHT * Math.min(1, violation / violationScaleMin!) + DATA_WEIGHT * incompleteShare + RUNTIME_WEIGHT * (1 - alongsideShare);
    const event: AlertEvent = dayEvent({
      model: riskRanking.id,
      subject: input.enterprise.id,
      input,
      facilities: [],
      severity: 'info',
      evidence: {
        score: round(score, 1),
        violationMinutes: violation,
        incompletePercent: round(incompleteShare * 100, 1),
        alongsidePercent: round(alongsideShare * 100, 1),
        windowDays: days.length,
      },
      message: `risk score ${round(score, 1)} over ${days.length} days`,
    });
    return [event];
  },
};

/** The day's risk-ranking events ordered by score, highest first (ties by enterprise id). */
export function rankEnterprises(events: readonly AlertEvent[]): { enterpriseId: string; score: number; rank: number }[] {
  return events
    .filter((e) => e.model === riskRanking.id)
    .map((e) => ({ enterpriseId: e.enterpriseId, score: Number(e.evidence.score) }))
    .sort((a, b) => b.score - a.score || a.enterpriseId.localeCompare(b.enterpriseId))
    .map((r, i) => ({ ...r, rank: i + 1 }));
}
