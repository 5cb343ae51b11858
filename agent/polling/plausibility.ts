// Values no meter can mean: flagged `invalid` (protocol/quantities.ts) instead of sent as
// data. Wide on purpose: PT/CT ratios put medium-voltage feeders at tens of kV and kA; odd
// but possible values are the technician's hints (commands/read.ts), not this.
import type { Quantity } from '../../protocol/index.js';

/** [min, max] in the quantity's unit. */
const PLAUSIBLE: Record<Quantity, readonly [number, number]> = {
  u1: [0, 1e6],
  u2: [0, 1e6],
  u3: [0, 1e6],
  i1: [-1e6, 1e6],
  i2: [-1e6, 1e6],
  i3: [-1e6, 1e6],
  p: [-1e10, 1e10],
  // a decoded PF a hair outside ±1 is rounding in the meter, not a fault
  pf: [-1.001, 1.001],
  f: [0, 500],
  ei: [0, 1e12],
};

export function isPlausible(quantity: Quantity, value: number): boolean {
  const [min, max] = PLAUSIBLE[quantity];
  return Number.isFinite(value) && value >= min && value <= max;
}
