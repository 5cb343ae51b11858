import { test } from 'tap';
import { meterIntegrity } from '../../collector/models/meter-integrity/index.js';
import { runScenario, type ReadingSpec, type ScenarioSpec } from './fixture.js';

const NORMAL = { u1: 230, u2: 231, u3: 229, i1: 10, i2: 10.2, i3: 9.9, p: 6900, pf: 0.98, f: 50, ei: 1000 };

function scenario(readings: ReadingSpec[]): ScenarioSpec {
  return { minutes: 120, facilities: [{ id: 'kiln', kind: 'production' }], power: {}, readings };
}

const base = (from: number, to: number, values: Record<string, number> = {}, eiStep = 0.03): ReadingSpec => ({
  meter: 'm1',
  facility: 'kiln',
  from,
  to,
  everyS: 15,
  values: { ...NORMAL, ...values },
  eiStep,
});

test('meter-integrity – a lost phase for two readings fires, one reading does not', async (t) => {
  const lost = runScenario(meterIntegrity, scenario([base(0, 10), { ...base(10, 10.5, { u2: 0 }), values: { ...NORMAL, u2: 0, ei: 1010 } }, base(11, 20, { ei: 1011 })]));
  t.equal(lost.length, 1);
  t.match(lost[0]!.evidence, { kind: 'phase-lost', meter: 'm1', readings: 2 });
  const blip = runScenario(meterIntegrity, scenario([base(0, 10), { ...base(10, 10.25, { u2: 0, ei: 1010 }) }, base(11, 20, { ei: 1011 })]));
  t.same(blip, []);
});

test('meter-integrity – negative active power (a reversed CT) fires; -50 W is tolerated', async (t) => {
  t.match(runScenario(meterIntegrity, scenario([base(0, 5, { p: -6900 })]))[0]?.evidence, { kind: 'reversed-power' });
  t.same(runScenario(meterIntegrity, scenario([base(0, 5, { p: -50 })])), []);
});

test('meter-integrity – an energy counter going backwards fires at once', async (t) => {
  const events = runScenario(meterIntegrity, scenario([base(0, 5, { ei: 1000 }), base(5, 10, { ei: 900 })]));
  t.equal(events.length, 1);
  t.match(events[0]!.evidence, { kind: 'counter-backwards' });
});

test('meter-integrity – values frozen 30 min while loaded fire, 29 min does not, unloaded never', async (t) => {
  const frozen = (minutes: number, values: Record<string, number> = {}) =>
    runScenario(meterIntegrity, scenario([{ ...base(0, minutes + 0.1, values, 0) }, base(minutes + 1, minutes + 5, { p: 7000, ei: 2000 })]));
  t.match(frozen(30)[0]?.evidence, { kind: 'frozen' });
  t.same(frozen(29), []);
  t.same(frozen(60, { p: 0, i1: 0, i2: 0, i3: 0 }), [], 'a switched-off feeder reads the same zeros');
});

test('meter-integrity – out-of-range values fire', async (t) => {
  t.match(runScenario(meterIntegrity, scenario([base(0, 2, { f: 70 })]))[0]?.evidence, { kind: 'out-of-range' });
  t.same(runScenario(meterIntegrity, scenario([base(0, 2, { f: 50.2 })])), []);
});

test('meter-integrity – a silence of more than 5 min breaks a frozen run', async (t) => {
  const events = runScenario(meterIntegrity, scenario([base(0, 20, {}, 0), base(27, 40, {}, 0)]));
  t.same(events, [], 'two frozen stretches of 20 and 13 min, split by a 7-min gap');
});
