import { test } from 'tap';
import { runtimeShort } from '../../collector/models/runtime-short/index.js';
import { KILN_AND_FAN, KILN_DAY_SHIFT, runScenario, type ScenarioSpec } from './fixture.js';

/** Kiln runs 08:00–18:00 (600 min); the fan is off for `offMinutes` from 10:00. */
function scenario(offMinutes: number, gap?: [string, string]): ScenarioSpec {
  const fan: ScenarioSpec['power'][string] = [
    { from: '00:00', to: '24:00', w: 20_000 },
    { from: 600, to: 600 + offMinutes, w: 0 },
  ];
  if (gap) fan.push({ from: gap[0], to: gap[1], w: null });
  return {
    days: 1,
    day: 0,
    facilities: KILN_AND_FAN,
    power: {
      kiln: KILN_DAY_SHIFT,
      fan,
    },
  };
}

test('runtime-short – the fan running 89 % of the kiln’s 600 running minutes fires', async (t) => {
  const events = runScenario(runtimeShort, scenario(66));
  t.equal(events.length, 1);
  t.match(events[0]!.evidence, { productionRunMin: 600, treatmentAlongsideMin: 534, percent: 89 });
  t.equal(events[0]!.to - events[0]!.from, 24 * 3600_000, 'the local day is the window');
});

test('runtime-short – 90 % (60 min off) does not fire', async (t) => {
  t.same(runScenario(runtimeShort, scenario(60)), []);
});

test('runtime-short – a day with more than 20 % of its data missing is not judged', async (t) => {
  t.same(runScenario(runtimeShort, scenario(120, ['12:00', '18:00'])), []);
});
