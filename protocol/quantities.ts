// The quantities every part of Tandem speaks, normalised to one unit each whatever the
// meter: profiles map registers onto them, readings carry them, models read them.

export const QUANTITIES = {
  u1: { unit: 'V', label: 'phase voltage L1-N', resolution: 0.01 },
  u2: { unit: 'V', label: 'phase voltage L2-N', resolution: 0.01 },
  u3: { unit: 'V', label: 'phase voltage L3-N', resolution: 0.01 },
  i1: { unit: 'A', label: 'current L1', resolution: 0.001 },
  i2: { unit: 'A', label: 'current L2', resolution: 0.001 },
  i3: { unit: 'A', label: 'current L3', resolution: 0.001 },
  p: { unit: 'W', label: 'total active power', resolution: 0.1 },
  pf: { unit: '', label: 'total power factor (-1..1)', resolution: 0.0001 },
  f: { unit: 'Hz', label: 'frequency', resolution: 0.001 },
  ei: { unit: 'kWh', label: 'total import active energy', resolution: 0.001 },
} as const;

export type Quantity = keyof typeof QUANTITIES;

/** In wire and storage order. */
export const QUANTITY_NAMES = Object.keys(QUANTITIES) as Quantity[];

export function isQuantity(name: string): name is Quantity {
  return Object.hasOwn(QUANTITIES, name);
}

/**
 * Per-quantity quality of one reading. `ok` is the default and is not sent on the wire.
 * - `unsupported`: the meter answered "illegal data address" for this register.
 * - `error`: the read failed (timeout, CRC, exception other than illegal address).
 * - `invalid`: decoded to NaN/Infinity or outside the quantity's plausible range.
 */
export const QUALITY_FLAGS = ['ok', 'unsupported', 'error', 'invalid'] as const;
export type Quality = (typeof QUALITY_FLAGS)[number];
