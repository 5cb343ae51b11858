// consumption-surge (daily): a production facility's energy of the day is above
// mean + sigma × σ of its historyDays before, or, during a stop order, above stopOrderPct %
// of the pre-order baseline for the hours the order covered that day. README.md beside this file.
import type { AlertEvent } from '../contract.js';
import { boundProduction } from '../baseline.js';
import { dayEvent, MIN_KNOWN_SHARE, round, splitDays, sums } from '../daily.js';
import { seriesOf } from '../links.js';
import { DAY_MS, MINUTE_MS, paramsFor, type Model } from '../model.js';

export const consumptionSurge: Model = {
  id: 'consumption-surge',
  kind: 'daily',
  summary: 'Production energy far above its usual day, or above what a stop order allows',
  defaults: { sigma: 3, historyDays: 30, minHistoryDays: 7, stopOrderPct: 25 },
  lookbackMs: (p) => p.historyDays! * DAY_MS,
  dwellMs: () => 0,
  evaluate(input) {
    const events: AlertEvent[] = [];
    const { today, before } = splitDays(input);
    const production = input.facilities.filter((f) => f.kind === 'production');
    if (!today || production.length === 0) return events;
    // Each production facility against its own days: a surge of one line is diluted in the
    // enterprise's total, whose weekly rhythm (working days, weekends) widens σ.
    for (const facility of production) {
      const series = [seriesOf(input, facility.id)];
      const { sigma, historyDays, minHistoryDays } = paramsFor(consumptionSurge, input, facility.id);
      const now = sums(series, today.start, today.end);
      if (now.completeMinutes < MIN_KNOWN_SHARE * now.minutes) continue;
      const history = before
        .slice(-historyDays!)
        .map((d) => sums(series, d.start, d.end))
        .filter((s) => s.completeMinutes >= MIN_KNOWN_SHARE * s.minutes)
        .map((s) => s.energyKWh);
      if (history.length < minHistoryDays!) continue;
      const mean = history.reduce((a, b) => a + b, 0) / history.length;
      const sd = Math.sqrt(history.reduce((a, b) => a + (b - mean) ** 2, 0) / history.length);
      if (now.energyKWh <= mean + sigma! * sd) continue;
      events.push(
        dayEvent({
          model: consumptionSurge.id,
          subject: facility.id,
          input,
          facilities: [facility.id],
          severity: 'warning',
          evidence: { energyKWh: round(now.energyKWh), meanKWh: round(mean), sdKWh: round(sd), sigma: sigma! },
          message: `${facility.name ?? facility.id} used ${round(now.energyKWh, 0)} kWh, usual ${round(mean, 0)} ± ${round(sd, 0)}`,
        }),
      );
    }
    const { stopOrderPct } = paramsFor(consumptionSurge, input);
    for (const order of input.orders) {
      const baseline = input.baselines.get(order.id);
      if (order.kind !== 'stop' || !baseline) continue;
      const a = Math.max(order.from, input.from);
      const b = Math.min(order.to, input.to);
      if (b <= a) continue;
      const bound = boundProduction(input.facilities, order);
      const inOrder = sums(
        bound.map((f) => seriesOf(input, f.id)),
        (a - input.dataFrom) / MINUTE_MS,
        (b - input.dataFrom) / MINUTE_MS,
      );
      const allowed = (stopOrderPct! / 100) * baseline.dailyEnergyKWh * ((b - a) / DAY_MS);
      if (inOrder.energyKWh <= allowed) continue;
      events.push(
        dayEvent({
          model: consumptionSurge.id,
          subject: `${input.enterprise.id}/${order.id}`,
          input,
          facilities: bound.map((f) => f.id),
          severity: 'critical',
          evidence: { order: order.id, energyKWh: round(inOrder.energyKWh), allowedKWh: round(allowed), stopOrderPct: stopOrderPct! },
          message: `production used ${round(inOrder.energyKWh, 0)} kWh during stop order ${order.id}, over ${stopOrderPct} % of its baseline`,
        }),
      );
    }
    return events;
  },
};
