// Readings → facility minutes (the models' input), for replays and tests: each meter's mean
// active power over the minute, summed across the facility's meters that reported. The
// collector's store keeps its own rollup; this one is pure and in memory.
import type { Reading } from '../../protocol/index.js';
import type { FacilityMinute } from './contract.js';
import { lowerBound } from './memory-data.js';
import { MINUTE_MS } from './model.js';

interface MeterMinute {
  sum: number;
  count: number;
}

/** Incremental rollup: add readings in any order, read minutes per facility. */
export class MinuteRollup {
  /** facility → minute → meter → power sum. */
  private readonly cells = new Map<string, Map<number, Map<string, MeterMinute>>>();
  private readonly sorted = new Map<string, number[]>();

  /** Adds a reading; returns the minute it fell in, or null when it has no usable power. */
  add(reading: Reading, facility: string): number | null {
    const p = reading.values.p;
    if (p === undefined || reading.quality?.p || !Number.isFinite(p)) return null;
    const minute = Math.floor(reading.t / MINUTE_MS) * MINUTE_MS;
    let byMinute = this.cells.get(facility);
    if (!byMinute) this.cells.set(facility, (byMinute = new Map()));
    let meters = byMinute.get(minute);
    if (!meters) {
      byMinute.set(minute, (meters = new Map()));
      this.sorted.delete(facility);
    }
    const cell = meters.get(reading.meter);
    if (cell) {
      cell.sum += p;
      cell.count++;
    } else meters.set(reading.meter, { sum: p, count: 1 });
    return minute;
  }

  /** Minutes of one facility in [from, to), time-ordered. */
  minutes(facility: string, from: number, to: number): FacilityMinute[] {
    const byMinute = this.cells.get(facility);
    if (!byMinute) return [];
    let keys = this.sorted.get(facility);
    if (!keys) this.sorted.set(facility, (keys = [...byMinute.keys()].sort((a, b) => a - b)));
    const out: FacilityMinute[] = [];
    for (let i = lowerBound(keys, from, (k) => k); i < keys.length && keys[i]! < to; i++) {
      const meters = byMinute.get(keys[i]!)!;
      let powerW = 0;
      for (const cell of meters.values()) powerW += cell.sum / cell.count;
      out.push({ facility, minute: keys[i]!, powerW, energyKWh: null, metersReporting: meters.size });
    }
    return out;
  }

  facilities(): string[] {
    return [...this.cells.keys()];
  }
}

/** Pure rollup of a set of readings; readings of meters not in the map are skipped. */
export function rollupMinutes(readings: readonly Reading[], meterToFacility: ReadonlyMap<string, string>): FacilityMinute[] {
  const rollup = new MinuteRollup();
  for (const r of readings) {
    const facility = meterToFacility.get(r.meter);
    if (facility) rollup.add(r, facility);
  }
  return rollup.facilities().flatMap((f) => rollup.minutes(f, -Infinity, Infinity));
}
