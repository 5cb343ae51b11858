import { test } from 'tap';
import { frequentCycling } from '../../collector/models/frequent-cycling/index.js';
import { KILN_AND_FAN, runScenario, type ScenarioSpec } from './fixture.js';

/** The fan switches on `starts` times, every `every` min, 5 min on each time, from minute 10. */
function scenario(starts: number, every: number, gap?: [number, number]): ScenarioSpec {
  const fan: ScenarioSpec['power'][string] = [{ from: 0, to: 300, w: 0 }];
  for (let k = 0; k < starts; k++) fan.push({ from: 10 + k * every, to: 15 + k * every, w: 20_000 });
  if (gap) fan.push({ from: gap[0], to: gap[1], w: null });
  return {
    minutes: 300,
    facilities: KILN_AND_FAN,
    power: { kiln: [{ from: 0, to: 300, w: 50_000 }], fan },
  };
}

test('frequent-cycling – 6 starts within 2 h while production runs fires, once', async (t) => {
  const events = runScenario(frequentCycling, scenario(6, 20));
  t.equal(events.length, 1);
  t.match(events[0]!.evidence, { starts: 6 });
  t.equal(events[0]!.ended, true);
  t.equal(new Date(events[0]!.detectedAt!).toISOString(), '2026-10-31T17:51:00.000Z', 'at the end of the 6th start minute (110)');
});

test('frequent-cycling – 5 starts, or 6 spread over more than 2 h, do not fire', async (t) => {
  t.same(runScenario(frequentCycling, scenario(5, 20)), []);
  t.same(runScenario(frequentCycling, scenario(6, 25)), []);
});

test('frequent-cycling – more starts extend the same condition', async (t) => {
  const events = runScenario(frequentCycling, scenario(9, 20));
  t.equal(events.length, 1);
  t.match(events[0]!.evidence, { starts: 9 });
});

test('frequent-cycling – a start seen only after a gap is not counted', async (t) => {
  // The 6th start's off-minute before it is unknown: the start is not seen.
  t.same(runScenario(frequentCycling, scenario(6, 20, [109, 110])), []);
});

test('frequent-cycling – a treatment following a production that itself starts 6 times in 2 h is in step, not cycling', async (t) => {
  const kiln: ScenarioSpec['power'][string] = [{ from: 0, to: 300, w: 0 }];
  const fan: ScenarioSpec['power'][string] = [{ from: 0, to: 300, w: 0 }];
  for (let k = 0; k < 6; k++) {
    kiln.push({ from: 10 + k * 20, to: 20 + k * 20, w: 50_000 });
    fan.push({ from: 9 + k * 20, to: 21 + k * 20, w: 20_000 });
  }
  const spec = scenario(0, 20);
  spec.power = { kiln, fan };
  t.same(runScenario(frequentCycling, spec), []);
});
