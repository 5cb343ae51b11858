// What a technician should look at twice in a first reading: values a meter can send but a
// healthy, correctly wired installation does not.
import type { Quantity } from '../../protocol/index.js';

/** Low-voltage phase-to-neutral nominals in use (IEC 60038: 230 V; 220 V in China; 120/127 V elsewhere). */
const NOMINAL_PHASE_V = [120, 127, 220, 230, 240];
/** Farther than this from every nominal is worth a look (supply tolerance is ±10 %). */
const VOLTAGE_TOLERANCE = 0.15;
const MAINS_HZ = [50, 60];
const FREQUENCY_TOLERANCE_HZ = 2;

export function sanityHints(values: Partial<Record<Quantity, number>>, ratios: { pt?: number }): Partial<Record<Quantity, string>> {
  const hints: Partial<Record<Quantity, string>> = {};
  for (const [q, phase] of [['u1', 'L1'], ['u2', 'L2'], ['u3', 'L3']] as const) {
    const u = values[q];
    if (u === undefined) continue;
    if (u < 1) hints[q] = `no voltage on ${phase}: phase lost, fuse blown, or not wired?`;
    else if ((ratios.pt ?? 1) === 1 && NOMINAL_PHASE_V.every((n) => Math.abs(u - n) > n * VOLTAGE_TOLERANCE)) {
      hints[q] = `${u.toFixed(1)} V is far from any nominal (${NOMINAL_PHASE_V.join('/')} V): wrong scale or register, a PT ratio to set, or a line-to-line voltage?`;
    }
  }
  for (const [q, phase] of [['i1', 'L1'], ['i2', 'L2'], ['i3', 'L3']] as const) {
    if ((values[q] ?? 0) < 0) hints[q] = `negative current on ${phase}: CT on ${phase} reversed?`;
  }
  if ((values.p ?? 0) < 0) hints.p = 'negative total power: CT mounted backwards (or the site exports power)?';
  const pf = values.pf;
  if (pf !== undefined && Math.abs(pf) > 1) hints.pf = `PF ${pf} is outside -1..1: wrong scale or register?`;
  else if (pf !== undefined && pf < 0 && (values.p ?? 0) >= 0) hints.pf = 'negative PF with positive power: leading load, or a CT reversed on one phase?';
  const f = values.f;
  if (f !== undefined && MAINS_HZ.every((hz) => Math.abs(f - hz) > FREQUENCY_TOLERANCE_HZ)) hints.f = `${f} Hz is not ~50/60 Hz: wrong scale or register?`;
  return hints;
}
