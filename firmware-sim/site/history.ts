// What a site's meters would have said over the last N days, as a gateway polling them would
// have recorded it, with the ground truth of the scenarios scheduled in that time.
import { QUANTITIES, type Quantity } from '../../protocol/index.js';
import type { FaultKind } from '../meter/faults.js';
import { groundTruth, type GroundTruth } from './labels.js';
import { Plant } from './plant.js';
import { windowOf } from './scenario-spec.js';
import { applyMeterFaults, siteMeters } from './site-meters.js';
import type { Site } from './site-file.js';

const DAY_MS = 86_400_000;
/**
 * One reading a minute by default: the models work on one-minute facility states and
 * out-of-sync's 3-minute rule needs finer than 3 minutes, while a month of ten meters stays
 * ~430,000 readings (seconds to make, ~60 MB as JSON lines). Use 15 for the agent's cadence.
 */
export const DEFAULT_HISTORY_INTERVAL_S = 60;
/** Faults after which the gateway has no values (a slow reply still arrives). */
const SILENCING: readonly FaultKind[] = ['silent', 'bad-crc', 'exception'];

export interface HistoryOptions {
  days: number;
  /** End of the history, ms (default now); the last reading is before it. */
  end?: number;
  intervalS?: number;
  /** Play the site's scheduled scenarios (default true); false gives a clean run. */
  scenarios?: boolean;
  /** Called after each simulated day. */
  onProgress?: (day: number, days: number) => void;
}

export interface HistoryReading {
  meter: string;
  t: number;
  values: Partial<Record<Quantity, number>>;
}

export interface History extends GroundTruth {
  from: number;
  to: number;
  /** Time-ordered; generated as it is iterated (once). */
  readings: Iterable<HistoryReading>;
  /** Each meter's import energy (kWh) where the readings stopped: a live run started with it continues the counters. */
  energyKwh(): Record<string, number>;
}

export function simulateHistory(site: Site, options: HistoryOptions): History {
  const intervalMs = (options.intervalS ?? DEFAULT_HISTORY_INTERVAL_S) * 1000;
  const end = Math.floor((options.end ?? Date.now()) / intervalMs) * intervalMs;
  const from = end - options.days * DAY_MS;
  const plant = new Plant(site);
  if (options.scenarios !== false) {
    for (const spec of site.sim.scenarios) plant.scenarios.push({ spec, ...windowOf(spec, from, site.sim.utcOffsetMin) });
  }
  const truth = groundTruth(plant, from, end);
  let clock = from;
  let meters = siteMeters(plant, () => clock);
  function* readings(): Generator<HistoryReading> {
    // Fresh meters for each pass, so iterating twice gives the same readings.
    clock = from;
    meters = siteMeters(plant, () => clock);
    let nextDay = from + DAY_MS;
    for (let t = Math.ceil(from / intervalMs) * intervalMs; t < end; t += intervalMs) {
      clock = t;
      applyMeterFaults(plant, meters, t);
      for (const { meter, emulator } of meters) {
        // A meter that does not answer leaves nothing in the gateway's record.
        if (emulator.fault && SILENCING.includes(emulator.fault.kind)) continue;
        yield { meter: meter.id, t, values: rounded(emulator.values(t)) };
      }
      if (t + intervalMs >= nextDay) {
        options.onProgress?.(Math.round((nextDay - from) / DAY_MS), options.days);
        nextDay += DAY_MS;
      }
    }
  }
  return {
    ...truth,
    from,
    to: end,
    readings: { [Symbol.iterator]: readings },
    energyKwh: () => Object.fromEntries(meters.map(({ meter, emulator }) => [meter.id, emulator.energy])),
  };
}

/** Decimals of each quantity's resolution (quantities.ts). */
const DECIMALS = Object.fromEntries(Object.entries(QUANTITIES).map(([q, d]) => [q, Math.round(-Math.log10(d.resolution))])) as Record<Quantity, number>;

/** To each quantity's resolution: what a decoded register holds, and short JSON. */
function rounded(values: Partial<Record<Quantity, number>>): Partial<Record<Quantity, number>> {
  const out: Partial<Record<Quantity, number>> = {};
  for (const q in values) out[q as Quantity] = Number(values[q as Quantity]!.toFixed(DECIMALS[q as Quantity]));
  return out;
}
