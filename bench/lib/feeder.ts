// Readings as a 3-phase industrial feeder gives them (load that drifts, noisy phases,
// energy that integrates the load), deterministic so runs compare across commits.
import type { NewReading } from '../../agent/outbox/outbox.js';

/** Deterministic noise (a linear congruential generator). */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

export interface FeederOptions {
  meters: number;
  cycles: number;
  intervalMs: number;
  /** Event time of the first cycle (ms). */
  t0: number;
  /** Meter name of index m (0-based). */
  meterName: (m: number) => string;
}

/** Readings cycle by cycle, meter by meter; each meter read 40 ms after the one before, as on a bus. */
export function* feederReadings(o: FeederOptions): Generator<NewReading> {
  const rnd = random(42);
  const energy = Array.from({ length: o.meters }, (_, m) => 10_000 + m * 1_000);
  const load = Array.from({ length: o.meters }, (_, m) => 20_000 + m * 5_000);
  for (let c = 0; c < o.cycles; c++) {
    for (let m = 0; m < o.meters; m++) {
      load[m] = Math.max(0, load[m]! * (1 + (rnd() - 0.5) * 0.04));
      const p = load[m]!;
      const u = () => 230 + (rnd() - 0.5) * 2;
      const i = () => p / 3 / 230 / 0.92 + (rnd() - 0.5) * 0.2;
      energy[m]! += (p * o.intervalMs) / 3.6e9;
      yield {
        meter: o.meterName(m),
        t: o.t0 + c * o.intervalMs + m * 40,
        values: { u1: u(), u2: u(), u3: u(), i1: i(), i2: i(), i3: i(), p, pf: 0.9 + rnd() * 0.05, f: 50 + (rnd() - 0.5) * 0.04, ei: energy[m]! },
      };
    }
  }
}
