// "Treatment T serves production P" (DESIGN.md "Link"), resolved to the series models scan.
import type { FacilityInfo } from './contract.js';
import { STATE_CODES } from './facility-state.js';
import type { ModelInput } from './model.js';
import { FALSE, TRUE, UNKNOWN } from './runs.js';
import { emptySeries, type Series } from './series.js';

export interface Link {
  treatment: FacilityInfo;
  productions: FacilityInfo[];
  treatmentSeries: Series;
  productionSeries: Series[];
}

/** Each treatment facility with the production facilities it serves (those without any are skipped). */
export function treatmentLinks(input: ModelInput): Link[] {
  const byId = new Map(input.facilities.map((f) => [f.id, f]));
  const links: Link[] = [];
  for (const t of input.facilities) {
    if (t.kind !== 'treatment') continue;
    const productions = t.serves.map((id) => byId.get(id)).filter((f): f is FacilityInfo => f?.kind === 'production');
    if (productions.length === 0) continue;
    links.push({
      treatment: t,
      productions,
      treatmentSeries: seriesOf(input, t.id),
      productionSeries: productions.map((p) => seriesOf(input, p.id)),
    });
  }
  return links;
}

export function seriesOf(input: ModelInput, facility: string): Series {
  return input.series.get(facility) ?? emptySeries(facility, input.dataFrom, input.to);
}

/** TRUE when any of the series is running at i, FALSE when all are known and none runs, else UNKNOWN. */
export function anyRunning(series: readonly Series[], i: number): number {
  let unknown = false;
  for (const s of series) {
    const state = s.state[i]!;
    if (state === STATE_CODES.running) return TRUE;
    if (state === STATE_CODES.unknown) unknown = true;
  }
  return unknown ? UNKNOWN : FALSE;
}

/** Facility ids of a link, productions first, for an alert. */
export function linkFacilities(link: Link): string[] {
  return [...link.productions.map((p) => p.id), link.treatment.id];
}

/** Mean of several series' power at the minutes a condition was true, for evidence. */
export function sumPowerAt(series: readonly Series[], i: number): number {
  let sum = 0;
  for (const s of series) {
    const v = s.powerW[i]!;
    if (!Number.isNaN(v)) sum += v;
  }
  return sum;
}
