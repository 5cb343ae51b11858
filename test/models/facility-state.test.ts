import { test } from 'tap';
import { effectiveLevels, facilityLevels, learnLevels, stateOf } from '../../collector/models/facility-state.js';
import { LevelBook } from '../../collector/models/level-book.js';
import { checkTimeZone, localDayEnd, localDayStart } from '../../collector/models/local-time.js';
import { rollupMinutes } from '../../collector/models/rollup.js';
import { buildSeries } from '../../collector/models/series.js';

const MIN = 60_000;

test('facility state – power against thresholds gives off, idle, running; no data is unknown, never off', async (t) => {
  const levels = { offBelowW: 1000, runningAboveW: 5000, runningLevelW: 20_000 };
  t.equal(stateOf(0, levels), 'off');
  t.equal(stateOf(999, levels), 'off');
  t.equal(stateOf(1000, levels), 'idle');
  t.equal(stateOf(5000, levels), 'running');
  t.equal(stateOf(null, levels), 'unknown');
  t.equal(stateOf(3000, undefined), 'unknown', 'no thresholds: nothing to judge by');
  t.equal(stateOf(-6900, levels), 'unknown', 'negative power (a reversed CT) says nothing about running');
  t.equal(stateOf(-20, levels), 'off', 'a few watts below zero is noise around off');
});

test('facility state – learns the running level as the mode above the mean of a shift pattern with noise', async (t) => {
  // Two shifts a day at ~30 kW with ramps and noise, nights at ~300 W, for 20 days of quarters.
  const quarters: number[] = [];
  for (let d = 0; d < 20; d++) {
    for (let q = 0; q < 96; q++) {
      const noise = ((q * 7919 + d * 104_729) % 1000) - 500;
      if (q >= 32 && q < 80) quarters.push(30_000 + noise * 2);
      else if (q === 31 || q === 80) quarters.push(15_000);
      else quarters.push(300 + noise / 10);
    }
  }
  const learned = learnLevels(quarters)!;
  t.ok(Math.abs(learned.runningLevelW - 30_000) < 1500, `running level ${learned.runningLevelW}`);
  t.ok(Math.abs(learned.restLevelW - 300) < 200, `rest level ${learned.restLevelW}`);
  t.equal(stateOf(29_000, learned), 'running');
  t.equal(stateOf(12_000, learned), 'idle', 'throttled to 40 %');
  t.equal(stateOf(400, learned), 'off');
});

test('facility state – a facility that always ran is running, one that never ran is off', async (t) => {
  const always = learnLevels(Array.from({ length: 200 }, (_, i) => 20_000 + (i % 7) * 50))!;
  t.equal(stateOf(20_100, always), 'running');
  t.equal(stateOf(0, always), 'off');
  const never = learnLevels(Array.from({ length: 200 }, (_, i) => 20 + (i % 5)))!;
  t.equal(stateOf(22, never), 'off');
});

test('facility state – configured thresholds override learned ones one by one, and the API sees both', async (t) => {
  const minutes = Array.from({ length: 24 * 60 }, (_, i) => ({ minute: i * MIN, powerW: i % 240 < 120 ? 10_000 : 0 }));
  const { learned, effective } = facilityLevels({ thresholds: { runningAboveW: 9000 } }, minutes);
  t.ok(learned);
  t.equal(effective!.runningAboveW, 9000, 'configured');
  t.equal(effective!.offBelowW, learned!.offBelowW, 'learned');
  t.equal(effectiveLevels({ thresholds: {} }, null), undefined, 'neither: no levels');
});

test('facility state – levels are learned from the days before, a missing minute stays unknown', async (t) => {
  const day = Date.parse('2026-10-31T16:00:00Z');
  const quarters = (_f: string, d: number) => (d < day ? Array.from({ length: 96 }, (_, q) => (q % 2 ? 20_000 : 0)) : []);
  const book = new LevelBook(new Map([['fan', { thresholds: {} }]]), quarters, 'Asia/Shanghai');
  const levels = book.levelsAt('fan', day + 60 * MIN)!;
  t.equal(levels.runningLevelW, 20_000);
  const series = buildSeries(
    { id: 'fan', meterIds: ['m'] },
    [
      { facility: 'fan', minute: day, powerW: 20_000, energyKWh: null, metersReporting: 1 },
      { facility: 'fan', minute: day + 2 * MIN, powerW: 0, energyKWh: null, metersReporting: 1 },
    ],
    day,
    day + 3 * MIN,
    { levelsAt: (m) => book.levelsAt('fan', m) },
  );
  t.same([...series.state], [3, 0, 1], 'running, unknown, off');
});

test('facility state – a facility with one of two meters silent is unknown, not half its power', async (t) => {
  const series = buildSeries(
    { id: 'kiln', meterIds: ['a', 'b'] },
    [{ facility: 'kiln', minute: 0, powerW: 30_000, energyKWh: null, metersReporting: 1 }],
    0,
    MIN,
    { levelsAt: () => ({ offBelowW: 1000, runningAboveW: 40_000, runningLevelW: 60_000 }) },
  );
  t.equal(series.state[0], 0);
});

test('facility state – a meter polled every 5 min holds its value for the minutes between polls', async (t) => {
  const series = buildSeries(
    { id: 'kiln', meterIds: ['a'] },
    [0, 5, 10].map((m) => ({ facility: 'kiln', minute: m * MIN, powerW: 50_000, energyKWh: null, metersReporting: 1 })),
    0,
    20 * MIN,
    { holdMinutes: 4, levelsAt: () => ({ offBelowW: 1000, runningAboveW: 10_000, runningLevelW: 50_000 }) },
  );
  t.same([...series.state], [...Array(15).fill(3), 3, 3, 3, 3, 3].map((v, i) => (i < 15 ? v : 0)));
});

test('rollup – a facility minute is the sum of its meters’ mean power, with how many reported', async (t) => {
  const reading = (meter: string, t: number, p: number) => ({ seq: 1n, meter, t, values: { p } });
  const minutes = rollupMinutes(
    [reading('a', 0, 1000), reading('a', 15_000, 3000), reading('b', 30_000, 500), reading('a', MIN, 800), reading('x', 0, 1)],
    new Map([
      ['a', 'kiln'],
      ['b', 'kiln'],
    ]),
  );
  t.same(minutes, [
    { facility: 'kiln', minute: 0, powerW: 2500, energyKWh: null, metersReporting: 2 },
    { facility: 'kiln', minute: MIN, powerW: 800, energyKWh: null, metersReporting: 1 },
  ]);
});

test('local days – cut at local midnight in the enterprise zone, 23 h on a spring DST day', async (t) => {
  const t0 = Date.parse('2026-12-01T10:00:00Z');
  t.equal(new Date(localDayStart(t0, 'Asia/Shanghai')).toISOString(), '2026-11-30T16:00:00.000Z');
  const spring = Date.parse('2026-03-29T12:00:00Z'); // Europe/Berlin goes from +1 to +2 that night
  const start = localDayStart(spring, 'Europe/Berlin');
  t.equal(new Date(start).toISOString(), '2026-03-28T23:00:00.000Z');
  t.equal(localDayEnd(spring, 'Europe/Berlin') - start, 23 * 3600_000);
  t.throws(() => checkTimeZone('Mars/Olympus'), RangeError);
});
