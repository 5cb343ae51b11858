// Self-consistent three-phase values for a load: balanced phases around the nominal voltage,
// I = P / (3 · U · PF) per phase, and the value faults applied on top.
import type { Quantity } from '../../protocol/index.js';
import type { Fault } from './faults.js';

export const DEFAULT_NOMINAL_V = 230;
export const DEFAULT_FREQUENCY_HZ = 50;
/** Relative voltage jitter (±0.5 %), frequency jitter (±0.02 Hz), current imbalance (±1 %). */
const VOLTAGE_JITTER = 0.005;
const FREQUENCY_JITTER_HZ = 0.02;
const CURRENT_IMBALANCE = 0.01;
/** A meter shows PF 1 with no current flowing. */
const NO_LOAD_PF = 1;

export interface Load {
  kw: number;
  pf: number;
}

export type Instant = Record<Exclude<Quantity, 'ei'>, number>;

/**
 * The instantaneous values the meter measures. `rand` gives −1..1; pass `() => 0` for steady
 * values. Returns also the active power (kW) the energy register integrates.
 */
export function measure(load: Load, nominalV: number, frequencyHz: number, rand: () => number, fault: Fault | null): { values: Instant; importKw: number } {
  const kw = Math.max(0, load.kw);
  const pf = kw > 0 ? load.pf : NO_LOAD_PF;
  const u = [1, 2, 3].map(() => nominalV * (1 + VOLTAGE_JITTER * rand()));
  const share = [1, 2, 3].map(() => 1 + CURRENT_IMBALANCE * rand());
  const phaseW = (kw * 1000) / 3;
  const i = u.map((v, k) => (phaseW * share[k]) / (v * pf));
  let p = kw * 1000;
  if (fault?.kind === 'lost-phase') {
    const k = fault.phase - 1;
    u[k] = 0;
    i[k] = 0;
    p -= phaseW;
  }
  const reversed = fault?.kind === 'reversed-ct';
  const values: Instant = {
    u1: u[0], u2: u[1], u3: u[2],
    i1: i[0], i2: i[1], i3: i[2],
    p: reversed ? -p : p,
    pf: reversed ? -pf : pf,
    f: frequencyHz + FREQUENCY_JITTER_HZ * rand(),
  };
  // A reversed CT makes the meter see export: its import register stands still.
  return { values, importKw: reversed ? 0 : p / 1000 };
}
