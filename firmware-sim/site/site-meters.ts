// The meters of a site as emulators whose load is their facility's share of the plant's.
import type { RegistryMeter } from '../../protocol/index.js';
import { MeterEmulator } from '../meter/emulator.js';
import { hashSeed } from '../random.js';
import type { Plant } from './plant.js';
import { faultOf } from './scenario-spec.js';

export interface SiteMeter {
  meter: RegistryMeter;
  emulator: MeterEmulator;
}

export function siteMeters(plant: Plant, now: () => number, energyKwh: Record<string, number> = {}): SiteMeter[] {
  const site = plant.site;
  // A facility with several meters (parallel feeders) splits its load between them.
  const share = new Map<string, number>();
  for (const m of site.meters) share.set(m.facility, (share.get(m.facility) ?? 0) + 1);
  return site.meters.map((meter) => {
    const count = share.get(meter.facility)!;
    const emulator = new MeterEmulator({
      unit: meter.unit,
      profile: meter.profile,
      ...(meter.pt !== undefined && { pt: meter.pt }),
      ...(meter.ct !== undefined && { ct: meter.ct }),
      nominalV: site.sim.nominalV,
      energyKwh: energyKwh[meter.id] ?? site.sim.energyKwh[meter.id],
      seed: hashSeed(site.sim.seed, meter.id),
      now,
      load: (t) => {
        const load = plant.load(meter.facility, t);
        return count === 1 ? load : { kw: load.kw / count, pf: load.pf };
      },
    });
    return { meter, emulator };
  });
}

/** Puts on each meter the fault its scenarios say for `t` (or none); a fault starting again is set again. */
export function applyMeterFaults(plant: Plant, meters: SiteMeter[], t: number): void {
  for (const { meter, emulator } of meters) {
    const active = plant.scenarios.find((a) => a.spec.meter === meter.id && t >= a.from && t < a.to);
    const fault = active ? (faultOf(active.spec) ?? null) : null;
    const current = emulator.fault;
    if (fault?.kind === current?.kind && JSON.stringify(fault) === JSON.stringify(current)) continue;
    emulator.setFault(fault);
  }
}
