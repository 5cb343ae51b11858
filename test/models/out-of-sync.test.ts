import { test } from 'tap';
import { outOfSync } from '../../collector/models/out-of-sync/index.js';
import { KILN_AND_FAN, runScenario, type ScenarioSpec } from './fixture.js';


/** Kiln runs 30–90; the fan starts `startLag` min after and stops `stopEarly` min before. */
function scenario(startLag: number, stopEarly: number): ScenarioSpec {
  return {
    minutes: 120,
    facilities: KILN_AND_FAN,
    power: {
      kiln: [
        { from: 0, to: 30, w: 0 },
        { from: 30, to: 90, w: 50_000 },
        { from: 90, to: 120, w: 0 },
      ],
      fan: [
        { from: 0, to: 30 + startLag, w: 0 },
        { from: 30 + startLag, to: 90 - stopEarly, w: 20_000 },
        { from: 90 - stopEarly, to: 120, w: 0 },
      ],
    },
  };
}

test('out-of-sync – a fan starting 4 min after the kiln is late, one stopping 4 min before it is early', async (t) => {
  const start = runScenario(outOfSync, scenario(4, 0));
  t.equal(start.length, 1);
  t.match(start[0]!.evidence, { kind: 'late-start', lagMinutes: 4 });
  t.equal(start[0]!.ended, true);
  const stop = runScenario(outOfSync, scenario(0, 4));
  t.equal(stop.length, 1);
  t.match(stop[0]!.evidence, { kind: 'early-stop', lagMinutes: 4 });
});

test('out-of-sync – 3 minutes either way is in sync', async (t) => {
  t.same(runScenario(outOfSync, scenario(3, 3)), []);
  t.same(runScenario(outOfSync, scenario(0, 0)), []);
});

test('out-of-sync – a 15-minute late start or 25-minute early stop is out of sync too', async (t) => {
  t.match(runScenario(outOfSync, scenario(15, 0))[0]?.evidence, { kind: 'late-start', lagMinutes: 15 });
  t.match(runScenario(outOfSync, scenario(0, 25))[0]?.evidence, { kind: 'early-stop', lagMinutes: 25 });
});

test('out-of-sync – a treatment that never starts during the production run is treatment-off only', async (t) => {
  t.same(runScenario(outOfSync, scenario(60, 0)), []);
});

test('out-of-sync – a gap around the start decides nothing', async (t) => {
  const spec = scenario(5, 0);
  spec.power.fan!.push({ from: 31, to: 34, w: null });
  t.same(runScenario(outOfSync, spec), []);
  const kilnGap = scenario(5, 0);
  kilnGap.power.kiln!.push({ from: 29, to: 30, w: null });
  t.same(runScenario(outOfSync, kilnGap), [], 'the kiln start itself unseen');
});

test('out-of-sync – inside a notice it is declared', async (t) => {
  const events = runScenario(outOfSync, { ...scenario(5, 0), notices: [{ facility: 'fan', from: 0, to: 60 }] });
  t.equal(events[0]!.declared, true);
});
