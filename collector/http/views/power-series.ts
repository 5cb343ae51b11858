// Facility power over a time range, downsampled to what a chart can show (the mean of the
// minute rollups in each bucket, facilities.ts downsample()), null where no meter reported:
// the chart leaves a gap, so missing data never looks like a facility that was off
// (DESIGN.md: unknown is not off).
import type { FacilityInfo } from '../../models/contract.js';
import type { Store } from '../../store/store.js';
import { downsample } from '../routes/facilities.js';

export const MINUTE_MS = 60_000;
/** Points per curve when the caller does not say: about one per pixel of a wide chart. */
export const DEFAULT_POINTS = 1200;
/** Upper bound on points per curve, so one request stays small. */
export const MAX_POINTS = 5000;
/**
 * How far back "latest power" looks (ms): a short window first (a live facility answers
 * from a few rows), the whole day only for one that has gone quiet.
 */
const LATEST_LOOKBACKS_MS = [15 * MINUTE_MS, 24 * 60 * MINUTE_MS];

export interface FacilitySeries {
  id: string;
  name: string;
  kind: FacilityInfo['kind'];
  /** Mean power per bucket (W), null where no meter reported. */
  values: (number | null)[];
}

export interface PowerSeries {
  /** Bucket starts (epoch ms). */
  t: number[];
  stepMs: number;
  series: FacilitySeries[];
}

/** Whole minutes per bucket so that [from, to) fits in `points` buckets (the rule facilities.ts downsample() uses). */
export function bucketMs(from: number, to: number, points: number): number {
  return Math.max(1, Math.ceil((to - from) / points / MINUTE_MS)) * MINUTE_MS;
}

/**
 * Every facility on one grid of buckets from `from` (minute-aligned), so the curves share
 * the time axis; a bucket without data is null, which the chart draws as a gap.
 */
export async function powerSeries(store: Store, facilities: FacilityInfo[], from: number, to: number, points: number): Promise<PowerSeries> {
  const start = from - (from % MINUTE_MS);
  const stepMs = bucketMs(start, to, points);
  const count = Math.max(1, Math.ceil((to - start) / stepMs));
  const t = Array.from({ length: count }, (_, i) => start + i * stepMs);
  const series: FacilitySeries[] = [];
  for (const facility of facilities) {
    const values: (number | null)[] = new Array(count).fill(null);
    for (const point of downsample(await store.minutes(facility.id, start, to), start, to, points)) values[Math.round((point.t - start) / stepMs)] = point.powerW;
    series.push({ id: facility.id, name: facility.name, kind: facility.kind, values });
  }
  return { t, stepMs, series };
}

/** The facility's newest minute with power in the last day, or null. */
export async function latestPower(store: Store, facilityId: string, now: number): Promise<{ at: number; powerW: number } | null> {
  for (const lookback of LATEST_LOOKBACKS_MS) {
    const minutes = await store.minutes(facilityId, now - lookback, now + MINUTE_MS);
    for (let i = minutes.length - 1; i >= 0; i--) {
      const m = minutes[i]!;
      if (m.powerW !== null) return { at: m.minute, powerW: m.powerW };
    }
  }
  return null;
}
