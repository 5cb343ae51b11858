// Readings → facility minutes (the models' input), for replays and tests: each meter's mean
// active power over the minute, summed across the facility's meters that reported. The
// collector's store keeps its own rollup; this one is pure and in memory.
import type { Reading } from '../../protocol/index.js';
import type { FacilityMinute } from './contract.js';
import { lowerBound } from './memory-data.js';
import { MINUTE_MS } from './model.js';

interface MeterMinute {
  meter: string;
  sum: number;
  count: number;
}

/** Incremental rollup: add readings in any order, read minutes per facility. */
export class MinuteRollup {
  /** facility → minute → one cell per meter (a facility has a few meters: an array beats a map). */
  private readonly cells = new Map<string, Map<number, MeterMinute[]>>();
  /** Minutes per facility, built on first read after a change. */
  private readonly built = new Map<string, FacilityMinute[]>();

  /** Adds a reading; returns the minute it fell in, or null when it has no usable power. */
  add(reading: Reading, facility: string): number | null {
    const p = reading.values.p;
    if (p === undefined || reading.quality?.p || !Number.isFinite(p)) return null;
    const minute = Math.floor(reading.t / MINUTE_MS) * MINUTE_MS;
    let byMinute = this.cells.get(facility);
    if (!byMinute) this.cells.set(facility, (byMinute = new Map()));
    let meters = byMinute.get(minute);
    if (!meters) byMinute.set(minute, (meters = []));
    this.built.delete(facility);
    const cell = meters.find((c) => c.meter === reading.meter);
    if (cell) {
      cell.sum += p;
      cell.count++;
    } else meters.push({ meter: reading.meter, sum: p, count: 1 });
    return minute;
  }

  /** Minutes of one facility in [from, to), time-ordered. */
  minutes(facility: string, from: number, to: number): FacilityMinute[] {
    const all = this.all(facility);
    return all.slice(lowerBound(all, from, (m) => m.minute), lowerBound(all, to, (m) => m.minute));
  }

  private all(facility: string): FacilityMinute[] {
    let list = this.built.get(facility);
    if (list) return list;
    list = [];
    for (const [minute, meters] of this.cells.get(facility) ?? []) {
      let powerW = 0;
      for (const cell of meters) powerW += cell.sum / cell.count;
      list.push({ facility, minute, powerW, energyKWh: null, metersReporting: meters.length });
    }
    list.sort((a, b) => a.minute - b.minute);
    this.built.set(facility, list);
    return list;
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
