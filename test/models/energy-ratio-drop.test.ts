import { test } from 'tap';
import { energyRatioDrop } from '../../collector/models/energy-ratio-drop/index.js';
import { KILN_DAY_SHIFT, runScenario, type ScenarioSpec } from './fixture.js';

/** 10 days of kiln 50 kW and fan 20 kW, 08:00–18:00 (ratio 0.4); on day 10 the fan draws `fanW`. */
function scenario(fanW: number, historyDays = 10, gap = false): ScenarioSpec {
  return {
    days: historyDays + 1,
    day: historyDays,
    facilities: [
      { id: 'kiln', kind: 'production' },
      { id: 'fan', kind: 'treatment', serves: ['kiln'], thresholds: { offBelowW: 1000, runningAboveW: 2000, runningLevelW: 20_000 } },
    ],
    power: {
      kiln: KILN_DAY_SHIFT,
      fan: [
        { from: '00:00', to: '24:00', w: 0 },
        { from: '08:00', to: '18:00', w: 20_000, days: [0, historyDays] },
        { from: '08:00', to: '18:00', w: fanW, days: [historyDays, historyDays + 1] },
        ...(gap ? [{ from: '00:00', to: '24:00', w: null, days: [0, historyDays - 6] as [number, number] }] : []),
      ],
    },
  };
}

test('energy-ratio-drop – a ratio of 0.236 against a median of 0.4 (59 %) fires', async (t) => {
  const events = runScenario(energyRatioDrop, scenario(11_800));
  t.equal(events.length, 1);
  t.match(events[0]!.evidence, { medianRatio: 0.4, historyDays: 10 });
});

test('energy-ratio-drop – 61 % of the median does not fire', async (t) => {
  t.same(runScenario(energyRatioDrop, scenario(12_200)), []);
});

test('energy-ratio-drop – with fewer than 7 days of usable history it does not judge', async (t) => {
  t.same(runScenario(energyRatioDrop, scenario(5000, 10, true)), [], 'only 6 days of fan data');
  t.equal(runScenario(energyRatioDrop, scenario(5000, 7)).length, 1, '7 days are enough');
});

test('energy-ratio-drop – a day of one running hour and standby the rest keeps its ratio: standby draw is left out', async (t) => {
  // Day 10: the kiln runs 08:00–09:30 at 50 kW with its fan at 20 kW (ratio 0.4), then stands
  // by at 5 kW (below running, above off) until midnight with its fan rightly off. Over the
  // whole day that is 75 + 72.5 kWh against 30: 0.2, half the median.
  const spec = scenario(20_000);
  spec.power.kiln = [
    ...KILN_DAY_SHIFT.map((s) => ({ ...s, days: [0, 10] as [number, number] })),
    { from: '00:00', to: '24:00', w: 0, days: [10, 11] },
    { from: '08:00', to: '09:30', w: 50_000, days: [10, 11] },
    { from: '09:30', to: '24:00', w: 5_000, days: [10, 11] },
  ];
  spec.power.fan!.push({ from: '09:30', to: '18:00', w: 0, days: [10, 11] });
  t.same(runScenario(energyRatioDrop, spec), []);
});
