import { test } from 'tap';
import { treatmentOff } from '../../collector/models/treatment-off/index.js';
import { KILN_AND_FAN, runScenario, summarize, type ScenarioSpec } from './fixture.js';


function scenario(fanOffMinutes: number, extra: Partial<ScenarioSpec> = {}): ScenarioSpec {
  return {
    minutes: 120,
    facilities: KILN_AND_FAN,
    power: {
      kiln: [{ from: 0, to: 120, w: 50_000 }],
      fan: [
        { from: 0, to: 30, w: 20_000 },
        { from: 30, to: 30 + fanOffMinutes, w: 200 },
        { from: 30 + fanOffMinutes, to: 120, w: 20_000 },
      ],
    },
    ...extra,
  };
}

test('treatment-off – fires once the fan has been off for the 10-minute dwell while the kiln runs', async (t) => {
  const events = runScenario(treatmentOff, scenario(10));
  t.equal(events.length, 1);
  t.match(events[0], { model: 'treatment-off', facilities: ['kiln', 'fan'], ended: true, declared: false, severity: 'critical' });
  t.equal(events[0]!.to - events[0]!.from, 10 * 60_000);
  t.equal(events[0]!.detectedAt, events[0]!.from + 10 * 60_000);
  t.equal(events[0]!.evidence.productionPowerW, 50_000);
});

test('treatment-off – does not fire for 9 minutes off, just below the dwell', async (t) => {
  t.same(runScenario(treatmentOff, scenario(9)), []);
});

test('treatment-off – a gap breaks the dwell: off at 06:00, no data until 07:45, a 90-minute rule has not fired by 07:30', async (t) => {
  // Minute 0 is 06:00 local here; the fan is off throughout, its meter silent 06:01–07:45.
  const spec: ScenarioSpec = {
    start: '2026-11-01T22:00:00.000Z',
    minutes: 240,
    facilities: KILN_AND_FAN,
    config: { enterprises: { 'ent-a': { 'treatment-off': { dwellMin: 90 } } } },
    power: {
      kiln: [{ from: 0, to: 240, w: 50_000 }],
      fan: [
        { from: 0, to: 1, w: 0 },
        { from: 105, to: 240, w: 0 },
      ],
    },
  };
  t.same(runScenario(treatmentOff, { ...spec, evaluate: { from: 0, to: 90 } }), [], 'nothing at 07:30');
  t.same(runScenario(treatmentOff, { ...spec, evaluate: { from: 0, to: 150 } }), [], 'nor at 08:30: the run restarted at 07:45');
  const late = runScenario(treatmentOff, spec);
  t.equal(late.length, 1);
  t.equal(new Date(late[0]!.from).toISOString(), '2026-11-01T23:45:00.000Z', 'the run counts from 07:45');
  t.equal(new Date(late[0]!.detectedAt!).toISOString(), '2026-11-02T01:15:00.000Z', 'and fires at 09:15');
});

test('treatment-off – an ongoing condition is one alert with a stable key that extends', async (t) => {
  const spec = scenario(60);
  const early = runScenario(treatmentOff, { ...spec, evaluate: { from: 0, to: 50 } });
  const later = runScenario(treatmentOff, { ...spec, evaluate: { from: 0, to: 80 } });
  t.equal(early[0]!.key, later[0]!.key);
  t.equal(early[0]!.ended, false, 'still off at the end of the data');
  t.equal(later[0]!.ended, false);
  t.ok(later[0]!.to > early[0]!.to);
  const done = runScenario(treatmentOff, spec);
  t.equal(done[0]!.key, early[0]!.key);
  t.equal(done[0]!.ended, true);
});

test('treatment-off – inside a notice the alert is declared, the part after it is its own alert', async (t) => {
  const events = runScenario(treatmentOff, { ...scenario(40, { notices: [{ facility: 'fan', from: 20, to: 55 }] }) });
  t.same(
    summarize(events).map((e) => [e.declared, e.from]),
    [
      [true, '2026-10-31T16:30:00.000Z'],
      [false, '2026-10-31T16:55:00.000Z'],
    ],
  );
});

test('treatment-off – production idle or off never fires', async (t) => {
  const spec = scenario(60);
  spec.power.kiln = [{ from: 0, to: 120, w: 5000 }];
  t.same(runScenario(treatmentOff, spec), []);
});

test('treatment-off – a fan reading negative power (a reversed CT) is not an off fan: meter-integrity reports it', async (t) => {
  const spec = scenario(0);
  spec.power.fan = [{ from: 0, to: 120, w: -19_500 }];
  t.same(runScenario(treatmentOff, spec), []);
});
