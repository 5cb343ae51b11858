import { test } from 'tap';
import { orderBreach } from '../../collector/models/order-breach/index.js';
import { KILN_AND_FAN, runScenario, type ScenarioSpec } from './fixture.js';

const DAY = 24 * 60;

/** A week of baseline at 50 kW 08:00–18:00, then an order on day 7 from 08:00 to 18:00. */
function scenario(order: NonNullable<ScenarioSpec['orders']>[number], day7: ScenarioSpec['power'][string]): ScenarioSpec {
  return {
    days: 8,
    facilities: KILN_AND_FAN,
    power: {
      kiln: [
        { from: '00:00', to: '08:00', w: 0, days: [0, 7] },
        { from: '08:00', to: '18:00', w: 50_000, days: [0, 7] },
        { from: '18:00', to: '24:00', w: 0, days: [0, 7] },
        ...day7,
      ],
      fan: [{ from: '00:00', to: '24:00', w: 20_000 }],
    },
    orders: [order],
    evaluate: { from: 7 * DAY, to: 8 * DAY },
  };
}

const at = (h: number, m = 0) => 7 * DAY + h * 60 + m;

test('order-breach – production running 10 min into a stop order fires', async (t) => {
  const events = runScenario(
    orderBreach,
    scenario({ id: 'o1', kind: 'stop', from: at(8), to: at(18) }, [
      { from: at(0), to: at(8), w: 0 },
      { from: at(8), to: at(8, 10), w: 50_000 },
      { from: at(8, 10), to: at(24), w: 0 },
    ]),
  );
  t.equal(events.length, 1);
  t.match(events[0]!.evidence, { order: 'o1', orderKind: 'stop', minutes: 10 });
});

test('order-breach – 9 minutes of production into a stop order does not fire', async (t) => {
  const events = runScenario(
    orderBreach,
    scenario({ id: 'o1', kind: 'stop', from: at(8), to: at(18) }, [
      { from: at(0), to: at(8, 1), w: 0 },
      { from: at(8, 1), to: at(8, 10), w: 50_000 },
      { from: at(8, 10), to: at(24), w: 0 },
    ]),
  );
  t.same(events, []);
});

test('order-breach – a 30 % limit order: 36 kW for 30 min is over (limit 35 kW), 34 kW is not', async (t) => {
  const limit = { id: 'o2', kind: 'limit' as const, from: at(8), to: at(18), limitPct: 30 };
  const over = runScenario(orderBreach, scenario(limit, [{ from: at(8), to: at(8, 30), w: 36_000 }, { from: at(8, 30), to: at(24), w: 0 }]));
  t.equal(over.length, 1);
  t.match(over[0]!.evidence, { orderKind: 'limit', limitW: 35_000, baselineW: 50_000 });
  t.same(runScenario(orderBreach, scenario(limit, [{ from: at(8), to: at(18), w: 34_000 }])), []);
  t.same(
    runScenario(orderBreach, scenario(limit, [{ from: at(8), to: at(8, 29), w: 36_000 }, { from: at(8, 29), to: at(24), w: 0 }])),
    [],
    '29 min is under the dwell',
  );
});

test('order-breach – a gap in the production data during a stop order breaks the dwell', async (t) => {
  const events = runScenario(
    orderBreach,
    scenario({ id: 'o1', kind: 'stop', from: at(8), to: at(18) }, [
      { from: at(8), to: at(8, 16), w: 50_000 },
      { from: at(8, 6), to: at(8, 8), w: null },
      { from: at(8, 16), to: at(24), w: 0 },
    ]),
  );
  t.same(events, []);
});
