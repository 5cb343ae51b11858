import { test } from 'tap';
import { dataGap } from '../../collector/models/data-gap/index.js';
import { buildInput } from '../../collector/models/input.js';
import { memoryData } from '../../collector/models/memory-data.js';
import { buildScenario, runScenario, scenarioStart, type ScenarioSpec } from './fixture.js';

function scenario(gapMinutes: number, pollIntervalS?: number): ScenarioSpec {
  return {
    minutes: 60,
    facilities: [{ id: 'kiln', kind: 'production' }],
    power: {
      kiln: [
        { from: 0, to: 20, w: 50_000 },
        { from: 20 + gapMinutes, to: 60, w: 50_000 },
      ],
    },
    ...(pollIntervalS ? {} : {}),
  };
}

test('data-gap – a meter silent 5 minutes fires, and the alert is ended once data resumes', async (t) => {
  const events = runScenario(dataGap, scenario(5));
  t.equal(events.length, 1);
  t.match(events[0], { model: 'data-gap', facilities: ['kiln'], ended: true });
  t.equal(events[0]!.to - events[0]!.from, 5 * 60_000);
});

test('data-gap – 4 silent minutes is not a gap', async (t) => {
  t.same(runScenario(dataGap, scenario(4)), []);
});

test('data-gap – a gateway silent up to the live horizon is an ongoing gap; the backlog withdraws it', async (t) => {
  const spec = scenario(40);
  const memory = buildScenario({ ...spec, power: { kiln: [{ from: 0, to: 20, w: 50_000 }] } });
  const start = scenarioStart(spec);
  const live = dataGap.evaluate(
    buildInput(memoryData(memory), { from: start + 20 * 60_000, to: start + 20 * 60_000, dataFrom: start, asOf: start + 30 * 60_000 }),
  );
  t.equal(live.length, 1, 'silent for 10 min at 16:30, nothing stored since 16:20');
  t.equal(live[0]!.ended, false);
  const full = buildScenario({ ...spec, power: { kiln: [{ from: 0, to: 60, w: 50_000 }] } });
  const after = dataGap.evaluate(
    buildInput(memoryData(full), { from: start + 20 * 60_000, to: start + 60 * 60_000, dataFrom: start, asOf: start + 60 * 60_000 }),
  );
  t.same(after, [], 'once the backlog is stored there is no gap');
});

test('data-gap – a meter polled every 5 min waits 15 min (3 polls), and its minutes between polls are no gap', async (t) => {
  const memory = buildScenario({
    minutes: 60,
    facilities: [{ id: 'kiln', kind: 'production' }],
    power: { kiln: [0, 5, 10, 25, 30].map((m) => ({ from: m, to: m + 1, w: 50_000 })) },
  });
  memory.enterprise.pollIntervalS = 300;
  const start = Date.parse('2026-10-31T16:00:00Z');
  const events = dataGap.evaluate(buildInput(memoryData(memory), { from: start, to: start + 35 * 60_000, dataFrom: start, asOf: start + 35 * 60_000 }));
  t.same(events, [], '10:00 → 25:00 is 14 silent minutes after the hold: under 15');
  const longer = buildScenario({
    minutes: 60,
    facilities: [{ id: 'kiln', kind: 'production' }],
    power: { kiln: [0, 5, 10, 30].map((m) => ({ from: m, to: m + 1, w: 50_000 })) },
  });
  longer.enterprise.pollIntervalS = 300;
  t.equal(dataGap.evaluate(buildInput(memoryData(longer), { from: start, to: start + 35 * 60_000, dataFrom: start, asOf: start + 35 * 60_000 })).length, 1);
});
