// The pre-order baseline an order is measured against (order-breach: "(1 − X %) ×
// baseline"; consumption-surge: "> 25 % of the pre-order baseline"): production over the
// BASELINE_DAYS days before the order began.
import type { FacilityInfo, Order } from './contract.js';
import { STATE_CODES } from './facility-state.js';
import { DAY_MS, MINUTE_MS, type OrderBaseline } from './model.js';
import type { Series } from './series.js';

export const BASELINE_DAYS = 7;

/** The production facilities an order binds (all of them when it names none). */
export function boundProduction(facilities: readonly FacilityInfo[], order: Pick<Order, 'facilities'>): FacilityInfo[] {
  return facilities.filter((f) => f.kind === 'production' && (!order.facilities || order.facilities.includes(f.id)));
}

export function baselineWindow(order: Pick<Order, 'from'>): { from: number; to: number } {
  return { from: order.from - BASELINE_DAYS * DAY_MS, to: order.from };
}

/**
 * From the bound production facilities' series over baselineWindow(order): each one's mean
 * power over the minutes it ran (a limit order cuts each line), and the summed energy per
 * day. Null when none of them ran.
 */
export function orderBaseline(production: readonly Series[]): OrderBaseline | null {
  const runningPowerW: Record<string, number> = {};
  let energyWMin = 0;
  let knownMinutes = 0;
  for (const s of production) {
    let sum = 0;
    let minutes = 0;
    for (let i = 0; i < s.length; i++) {
      if (s.state[i] !== STATE_CODES.running) continue;
      sum += s.powerW[i]!;
      minutes++;
    }
    if (minutes > 0) runningPowerW[s.facility] = sum / minutes;
  }
  const length = production[0]?.length ?? 0;
  for (let i = 0; i < length; i++) {
    if (!production.every((s) => s.complete[i])) continue;
    knownMinutes++;
    for (const s of production) energyWMin += s.powerW[i]!;
  }
  if (Object.keys(runningPowerW).length === 0 || knownMinutes === 0) return null;
  const kWhPerWMinute = 1 / 60 / 1000;
  return { runningPowerW, dailyEnergyKWh: ((energyWMin * kWhPerWMinute) / knownMinutes) * (DAY_MS / MINUTE_MS) };
}
