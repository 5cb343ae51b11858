import { test } from 'tap';
import { treatmentWeak } from '../../collector/models/treatment-weak/index.js';
import { KILN_AND_FAN, runScenario, type ScenarioSpec } from './fixture.js';

// The fan's configured running level is 20 kW (fixture default): weak below 10 kW.
function scenario(weakW: number, weakMinutes: number): ScenarioSpec {
  return {
    minutes: 120,
    facilities: KILN_AND_FAN,
    power: {
      kiln: [{ from: 0, to: 120, w: 50_000 }],
      fan: [
        { from: 0, to: 20, w: 20_000 },
        { from: 20, to: 20 + weakMinutes, w: weakW },
        { from: 20 + weakMinutes, to: 120, w: 20_000 },
      ],
    },
  };
}

test('treatment-weak – a fan at 40 % of its running level for 30 min fires', async (t) => {
  const events = runScenario(treatmentWeak, scenario(8000, 30));
  t.equal(events.length, 1);
  t.match(events[0], { model: 'treatment-weak', severity: 'warning', ended: true });
  t.match(events[0]!.evidence, { percentOfLevel: 40, runningLevelW: 20_000, minutes: 30 });
});

test('treatment-weak – just below the dwell (29 min) or just above the ratio (50 %) does not fire', async (t) => {
  t.same(runScenario(treatmentWeak, scenario(8000, 29)), []);
  t.same(runScenario(treatmentWeak, scenario(10_000, 60)), []);
});

test('treatment-weak – off is treatment-off, not weak', async (t) => {
  t.same(runScenario(treatmentWeak, scenario(100, 60)), []);
});

test('treatment-weak – a gap splits the run and neither half reaches the dwell', async (t) => {
  const spec = scenario(8000, 50);
  spec.power.fan!.push({ from: 45, to: 47, w: null });
  t.same(runScenario(treatmentWeak, spec), []);
});
