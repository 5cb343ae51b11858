import { test } from 'tap';
import { treatmentDegrading } from '../../collector/models/treatment-degrading/index.js';
import { KILN_AND_FAN, runScenario, type ScenarioSpec } from './fixture.js';

/** 14 days, kiln 50 kW 08:00–18:00; the fan draws 20 kW the first 3 days, `lateW` the last 3. */
function scenario(lateW: number, kilnLateW = 50_000, gapDays = 0): ScenarioSpec {
  return {
    days: 14,
    day: 13,
    facilities: KILN_AND_FAN,
    power: {
      kiln: [
        { from: '00:00', to: '24:00', w: 0 },
        { from: '08:00', to: '18:00', w: 50_000, days: [0, 11] },
        { from: '08:00', to: '18:00', w: kilnLateW, days: [11, 14] },
      ],
      fan: [
        { from: '00:00', to: '24:00', w: 0 },
        { from: '08:00', to: '18:00', w: 20_000, days: [0, 11] },
        { from: '08:00', to: '18:00', w: lateW, days: [11, 14] },
        ...(gapDays ? [{ from: '00:00', to: '24:00', w: null, days: [11, 11 + gapDays] as [number, number] }] : []),
      ],
    },
  };
}

test('treatment-degrading – the fan down 16 % over 14 days at steady production fires', async (t) => {
  const events = runScenario(treatmentDegrading, scenario(16_800));
  t.equal(events.length, 1);
  t.match(events[0]!.evidence, { dropPercent: 16, productionChangePercent: 0 });
});

test('treatment-degrading – down 14 % does not fire, nor 20 % when production changed too', async (t) => {
  t.same(runScenario(treatmentDegrading, scenario(17_200)), []);
  t.same(runScenario(treatmentDegrading, scenario(16_000, 40_000)), []);
});

test('treatment-degrading – without enough data in the last days it does not judge', async (t) => {
  t.same(runScenario(treatmentDegrading, scenario(16_000, 50_000, 3)), []);
});
