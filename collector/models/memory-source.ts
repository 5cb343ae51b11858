// An in-memory store for the engine (EngineSource): readings go in, in any order and in
// any batches; minutes come out. The scorer replays histories through it, tests use it
// as the collector's store stand-in.
import type { Reading } from '../../protocol/index.js';
import type { EnterpriseInfo, FacilityInfo, FacilityReading, Notice, Order } from './contract.js';
import type { EngineSource } from './engine-source.js';
import type { Touched } from './engine.js';
import { lowerBound } from './memory-data.js';
import type { ModelConfig } from './model.js';
import { MinuteRollup } from './rollup.js';

export interface MemoryRegistry {
  enterprises: EnterpriseInfo[];
  facilities: FacilityInfo[];
  orders?: Order[];
  notices?: Notice[];
  config?: ModelConfig;
}

export class MemorySource implements EngineSource {
  private readonly rollup = new MinuteRollup();
  private readonly meterFacility = new Map<string, string>();
  private readonly stored = new Map<string, FacilityReading[]>();
  private readonly first = new Map<string, number>();

  constructor(readonly registry: MemoryRegistry) {
    for (const f of registry.facilities) for (const m of f.meterIds) this.meterFacility.set(m, f.id);
  }

  /** Stores readings (any order); returns the minutes touched per facility, as ingest reports them. */
  store(readings: readonly Reading[]): { readings: FacilityReading[]; touched: Touched[] } {
    const touched = new Map<string, Touched>();
    const stored: FacilityReading[] = [];
    for (const r of readings) {
      const facility = this.meterFacility.get(r.meter);
      if (!facility) continue;
      const reading: FacilityReading = { seq: r.seq, meter: r.meter, t: r.t, values: r.values, facility };
      if (r.quality) reading.quality = r.quality;
      stored.push(reading);
      let list = this.stored.get(facility);
      if (!list) this.stored.set(facility, (list = []));
      if (list.length && list[list.length - 1]!.t > r.t) list.splice(lowerBound(list, r.t + 1, (x) => x.t), 0, reading);
      else list.push(reading);
      const minute = this.rollup.add(r, facility);
      if (minute === null) continue;
      this.first.set(facility, Math.min(this.first.get(facility) ?? Infinity, minute));
      const t = touched.get(facility);
      if (!t) touched.set(facility, { facility, fromMinute: minute, toMinute: minute });
      else {
        t.fromMinute = Math.min(t.fromMinute, minute);
        t.toMinute = Math.max(t.toMinute, minute);
      }
    }
    return { readings: stored, touched: [...touched.values()] };
  }

  minutes(facility: string, from: number, to: number) {
    return this.rollup.minutes(facility, from, to);
  }

  readings(facilities: string[], from: number, to: number): FacilityReading[] {
    const out: FacilityReading[] = [];
    for (const f of facilities) {
      const list = this.stored.get(f) ?? [];
      for (let i = lowerBound(list, from, (r) => r.t); i < list.length && list[i]!.t < to; i++) out.push(list[i]!);
    }
    return out.sort((a, b) => a.t - b.t);
  }

  firstMinute(facility: string): number | null {
    return this.first.get(facility) ?? null;
  }

  facilities() {
    return this.registry.facilities;
  }

  enterprises() {
    return this.registry.enterprises;
  }

  orders() {
    return this.registry.orders ?? [];
  }

  notices() {
    return this.registry.notices ?? [];
  }

  config() {
    return this.registry.config ?? {};
  }
}
