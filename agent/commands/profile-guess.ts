// Which profile fits a meter that answers: read it with each candidate and count the values
// that look like a low-voltage installation. A wrong map reads exceptions, or floats read as
// the wrong type or scale, which land far outside these ranges.
import { QUANTITY_NAMES, type Profile, type Quantity } from '../../protocol/index.js';
import type { Transport } from '../modbus/index.js';
import { DEFAULT_GAP_FILL, MeterPlan, readMeter } from '../polling/meter-reader.js';
import type { PolledReading } from '../polling/index.js';

/** Typical, not merely possible (polling/plausibility.ts is the wide check). */
const TYPICAL: Record<Quantity, readonly [number, number]> = {
  u1: [80, 500],
  u2: [80, 500],
  u3: [80, 500],
  i1: [0, 10_000],
  i2: [0, 10_000],
  i3: [0, 10_000],
  p: [-1e7, 1e7],
  pf: [-1, 1],
  f: [45, 65],
  ei: [0, 1e10],
};

export interface Guess {
  profile: Profile;
  /** quantities with typical values, of the profile's points */
  plausible: number;
  of: number;
  reading?: PolledReading;
}

export async function guessProfile(transport: Transport, unit: number, candidates: readonly Profile[], shouldStop: () => boolean): Promise<Guess[]> {
  const guesses: Guess[] = [];
  for (const profile of candidates) {
    if (shouldStop()) break;
    const plan = new MeterPlan({ id: `unit-${unit}`, unit, profile: profile.id }, profile, DEFAULT_GAP_FILL);
    const { reading } = await readMeter(transport, plan, 0, Date.now);
    const points = QUANTITY_NAMES.filter((q) => profile.points[q]);
    const plausible = points.filter((q) => {
      const v = reading?.values[q];
      return v !== undefined && v >= TYPICAL[q][0] && v <= TYPICAL[q][1];
    }).length;
    guesses.push({ profile, plausible, of: points.length, ...(reading && { reading }) });
  }
  // Best share of typical values first; on a tie, the profile explaining more quantities.
  return guesses.sort((a, b) => b.plausible / b.of - a.plausible / a.of || b.plausible - a.plausible);
}
