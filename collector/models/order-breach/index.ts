// order-breach (real time): during a stop order production runs ≥ stopDwellMin; during a
// limit order of X % a bound production facility stays above (1 − X %) × its pre-order
// baseline (baseline.ts) for ≥ limitDwellMin. README.md beside this file.
import type { AlertEvent, Order } from '../contract.js';
import { boundProduction } from '../baseline.js';
import { anyRunning, seriesOf } from '../links.js';
import { MINUTE_MS, paramsFor, type Model, type ModelInput } from '../model.js';
import { declaredMask, findRuns, meanOf, runEvent, runOverlaps, FALSE, TRUE, UNKNOWN } from '../runs.js';
import type { Series } from '../series.js';

/** Per minute of the order: stop, any bound facility running; limit, any above its own limit. */
function condition(order: Order, input: ModelInput, production: Series[], limitsW: number[] | null): { cond: Int8Array; powerW: Float64Array } {
  const base = input.dataFrom;
  const length = production[0]?.length ?? 0;
  const cond = new Int8Array(length);
  const powerW = new Float64Array(length).fill(NaN);
  for (let i = 0; i < length; i++) {
    const minute = base + i * MINUTE_MS;
    if (minute < order.from || minute >= order.to) continue;
    let sum = 0;
    let complete = true;
    for (const s of production) {
      if (s.complete[i]) sum += s.powerW[i]!;
      else complete = false;
    }
    if (complete) powerW[i] = sum;
    if (order.kind === 'stop') cond[i] = anyRunning(production, i);
    else cond[i] = !complete ? UNKNOWN : production.some((s, k) => s.powerW[i]! > limitsW![k]!) ? TRUE : FALSE;
  }
  return { cond, powerW };
}

export const orderBreach: Model = {
  id: 'order-breach',
  kind: 'realtime',
  summary: 'Production running through a stop order, or above the limit of a limit order',
  defaults: { stopDwellMin: 10, limitDwellMin: 30 },
  lookbackMs: (p) => Math.max(p.stopDwellMin!, p.limitDwellMin!) * MINUTE_MS,
  dwellMs: (p) => p.stopDwellMin! * MINUTE_MS,
  evaluate(input) {
    const events: AlertEvent[] = [];
    const { stopDwellMin, limitDwellMin } = paramsFor(orderBreach, input);
    for (const order of input.orders) {
      const productionInfo = boundProduction(input.facilities, order);
      if (productionInfo.length === 0) continue;
      const production = productionInfo.map((f) => seriesOf(input, f.id));
      const facilities = productionInfo.map((f) => f.id);
      const baseline = input.baselines.get(order.id);
      if (order.kind === 'limit' && (!baseline || order.limitPct === null)) continue;
      // A line without a running baseline (it did not run the week before) is held at 0 W.
      const limitsW =
        order.kind === 'limit' ? productionInfo.map((f) => (1 - order.limitPct! / 100) * (baseline!.runningPowerW[f.id] ?? 0)) : null;
      const dwell = order.kind === 'stop' ? stopDwellMin! : limitDwellMin!;
      const { cond, powerW } = condition(order, input, production, limitsW);
      for (const run of findRuns(cond, dwell, declaredMask(input.notices, facilities, input.dataFrom, cond.length))) {
        if (!runOverlaps(run, input.dataFrom, input.from, input.to)) continue;
        events.push(
          runEvent({
            model: orderBreach.id,
            subject: `${input.enterprise.id}/${order.id}`,
            enterpriseId: input.enterprise.id,
            facilities,
            severity: 'critical',
            base: input.dataFrom,
            run,
            dwellMinutes: dwell,
            evidence: {
              order: order.id,
              orderKind: order.kind,
              productionPowerW: meanOf(powerW, run.start, run.end),
              limitW: limitsW === null ? null : Math.round(limitsW.reduce((a, b) => a + b, 0)),
              baselineW: baseline ? Math.round(Object.values(baseline.runningPowerW).reduce((a, b) => a + b, 0)) : null,
              dwellMin: dwell,
            },
            message:
              order.kind === 'stop'
                ? `production ran during stop order ${order.id}`
                : `production above the ${order.limitPct} % cut of limit order ${order.id}`,
          }),
        );
      }
    }
    return events;
  },
};
