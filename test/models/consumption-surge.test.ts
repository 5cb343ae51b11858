import { test } from 'tap';
import { consumptionSurge } from '../../collector/models/consumption-surge/index.js';
import { runScenario, type ScenarioSpec } from './fixture.js';

const DAY = 24 * 60;

/** 10 days alternating 480 and 520 kWh (mean 500, σ 20), then day 10 with `kwh`. */
function scenario(kwh: number, extra: Partial<ScenarioSpec> = {}): ScenarioSpec {
  const kiln: ScenarioSpec['power'][string] = [{ from: '00:00', to: '24:00', w: 0 }];
  for (let d = 0; d < 10; d++) kiln.push({ from: '08:00', to: '18:00', w: (d % 2 ? 52 : 48) * 1000, days: [d, d + 1] });
  kiln.push({ from: '08:00', to: '18:00', w: (kwh / 10) * 1000, days: [10, 11] });
  return {
    days: 11,
    day: 10,
    facilities: [{ id: 'kiln', kind: 'production' }],
    power: { kiln },
    ...extra,
  };
}

test('consumption-surge – a day above mean + 3σ (561 kWh) fires', async (t) => {
  const events = runScenario(consumptionSurge, scenario(561));
  t.equal(events.length, 1);
  t.match(events[0]!.evidence, { meanKWh: 500, sdKWh: 20 });
});

test('consumption-surge – a day at mean + 3σ (560 kWh) does not fire', async (t) => {
  t.same(runScenario(consumptionSurge, scenario(559)), []);
});

test('consumption-surge – during a stop order, more than 25 % of the baseline day fires', async (t) => {
  // Stop order all of day 10; the baseline is days 3–9: 4 × 520 + 3 × 480 = 502.86 kWh/day,
  // so 25 % allows 125.71 kWh: 130 is over, 120 is not.
  const events = runScenario(consumptionSurge, scenario(130, { orders: [{ id: 'o1', kind: 'stop', from: 10 * DAY, to: 11 * DAY }] }));
  t.equal(events.length, 1);
  t.match(events[0]!.evidence, { order: 'o1', allowedKWh: 125.71 });
  t.same(runScenario(consumptionSurge, scenario(120, { orders: [{ id: 'o1', kind: 'stop', from: 10 * DAY, to: 11 * DAY }] })), []);
});

test('consumption-surge – a day with its data mostly missing is not judged', async (t) => {
  const spec = scenario(900);
  spec.power.kiln!.push({ from: '00:00', to: '12:00', w: null, days: [10, 11] });
  t.same(runScenario(consumptionSurge, spec), []);
});

test('consumption-surge – one line surging is judged against its own days, not diluted in the enterprise total', async (t) => {
  // The press alternates 800 and 1200 kWh (σ 200), the dryer 95 and 105 (σ 5). On day 10 the
  // dryer doubles to 200 kWh: the enterprise total rises by 100, far inside its 3σ of ~600.
  const press: ScenarioSpec['power'][string] = [{ from: '00:00', to: '24:00', w: 0 }];
  const dryer: ScenarioSpec['power'][string] = [{ from: '00:00', to: '24:00', w: 0 }];
  for (let d = 0; d <= 10; d++) {
    press.push({ from: '08:00', to: '18:00', w: (d % 2 ? 120 : 80) * 1000, days: [d, d + 1] });
    dryer.push({ from: '08:00', to: '18:00', w: d === 10 ? 20_000 : (d % 2 ? 10.5 : 9.5) * 1000, days: [d, d + 1] });
  }
  const events = runScenario(consumptionSurge, {
    days: 11,
    day: 10,
    facilities: [{ id: 'press', kind: 'production' }, { id: 'dryer', kind: 'production' }],
    power: { press, dryer },
  });
  t.equal(events.length, 1, 'one alert');
  t.match(events[0], { facilities: ['dryer'], evidence: { energyKWh: 200, meanKWh: 100, sdKWh: 5 } });
});
