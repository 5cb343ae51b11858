// The pre-order baseline an order is measured against (order-breach: "(1 − X %) ×
// baseline"; consumption-surge: "> 25 % of the pre-order baseline"): production over the
// BASELINE_DAYS days before the order began.
import type { FacilityInfo, Order } from './contract.js';
import { anyRunning } from './links.js';
import { DAY_MS, MINUTE_MS, type OrderBaseline } from './model.js';
import { TRUE } from './runs.js';
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
 * From the production facilities' series over baselineWindow(order): the mean summed power
 * over the minutes any of them ran, and energy per day. Null without a running minute.
 */
export function orderBaseline(production: readonly Series[]): OrderBaseline | null {
  const length = production[0]?.length ?? 0;
  let runningSum = 0;
  let runningMinutes = 0;
  let energyWMin = 0;
  let knownMinutes = 0;
  for (let i = 0; i < length; i++) {
    let sum = 0;
    let complete = true;
    for (const s of production) {
      if (!s.complete[i]) complete = false;
      else sum += s.powerW[i]!;
    }
    if (!complete) continue;
    knownMinutes++;
    energyWMin += sum;
    if (anyRunning(production, i) === TRUE) {
      runningSum += sum;
      runningMinutes++;
    }
  }
  if (runningMinutes === 0) return null;
  const kWhPerWMinute = 1 / 60 / 1000;
  return {
    runningPowerW: runningSum / runningMinutes,
    dailyEnergyKWh: ((energyWMin * kWhPerWMinute) / knownMinutes) * (DAY_MS / MINUTE_MS),
  };
}
