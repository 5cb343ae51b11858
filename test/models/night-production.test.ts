import { test } from 'tap';
import { nightProduction } from '../../collector/models/night-production/index.js';
import { KILN_AND_FAN, runScenario, type ScenarioSpec } from './fixture.js';

/** Day 08:00–18:00 at dayW, night 22:00–24:00 and 00:00–06:00 at nightW; fan on when `fanAtNight`. */
function scenario(dayW: number, nightW: number, fanAtNight: boolean, gap = false): ScenarioSpec {
  return {
    days: 1,
    day: 0,
    facilities: KILN_AND_FAN,
    power: {
      kiln: [
        { from: '00:00', to: '06:00', w: nightW },
        { from: '06:00', to: '22:00', w: 0 },
        { from: '08:00', to: '18:00', w: dayW },
        { from: '22:00', to: '24:00', w: nightW },
        ...(gap ? [{ from: '01:00', to: '04:00', w: null }] : []),
      ],
      fan: [
        { from: '00:00', to: '24:00', w: 0 },
        { from: '08:00', to: '18:00', w: 20_000 },
        ...(fanAtNight ? [{ from: '00:00', to: '06:00', w: 20_000 }, { from: '22:00', to: '24:00', w: 20_000 }] : []),
      ],
    },
  };
}

// Day hours: 06:00–22:00 = 16 h; 10 h at dayW → per hour dayW × 10/16.
test('night-production – night energy per hour above 1.5× the day’s, fan off at night, fires', async (t) => {
  const events = runScenario(nightProduction, scenario(40_000, 38_000, false));
  t.equal(events.length, 1, '38 kW against 25 kW per day hour: 1.52×');
  t.match(events[0]!.evidence, { nightKWhPerHour: 38, dayKWhPerHour: 25 });
});

test('night-production – 1.48× does not fire, nor does night work with the fan alongside', async (t) => {
  t.same(runScenario(nightProduction, scenario(40_000, 37_000, false)), []);
  t.same(runScenario(nightProduction, scenario(40_000, 60_000, true)), []);
});

test('night-production – a night with more than 20 % of its data missing is not judged', async (t) => {
  t.same(runScenario(nightProduction, scenario(40_000, 60_000, false, true)), []);
});
