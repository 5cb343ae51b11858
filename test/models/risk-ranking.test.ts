import { test } from 'tap';
import { rankEnterprises, riskRanking } from '../../collector/models/risk-ranking/index.js';
import { KILN_AND_FAN, KILN_DAY_SHIFT, runScenario, type ScenarioSpec } from './fixture.js';

function scenario(fanOffMinutes: number, gap = false): ScenarioSpec {
  return {
    days: 7,
    day: 6,
    facilities: KILN_AND_FAN,
    power: {
      kiln: KILN_DAY_SHIFT,
      fan: [
        { from: '00:00', to: '24:00', w: 0 },
        { from: '08:00', to: '18:00', w: 20_000 },
        { from: 6 * 1440 + 600, to: 6 * 1440 + 600 + fanOffMinutes, w: 0 },
        ...(gap ? [{ from: '00:00', to: '24:00', w: null, days: [3, 4] as [number, number] }] : []),
      ],
    },
  };
}

test('risk-ranking – a clean week scores 0, violations and missing data raise it', async (t) => {
  const clean = runScenario(riskRanking, scenario(0));
  t.equal(clean.length, 1, 'one ranking entry per enterprise per day');
  t.match(clean[0], { severity: 'info', evidence: { score: 0 } });
  const violating = runScenario(riskRanking, scenario(60));
  t.ok(Number(violating[0]!.evidence.score) > 25, `60 min off: ${violating[0]!.evidence.score}`);
  const gappy = runScenario(riskRanking, scenario(0, true));
  t.ok(Number(gappy[0]!.evidence.score) > 0, `a day of the fan missing: ${gappy[0]!.evidence.score}`);
});

test('risk-ranking – enterprises rank by score, highest first', async (t) => {
  const a = { ...runScenario(riskRanking, scenario(60))[0]!, enterpriseId: 'ent-a' };
  const b = { ...runScenario(riskRanking, scenario(0))[0]!, enterpriseId: 'ent-b' };
  const c = { ...runScenario(riskRanking, scenario(10))[0]!, enterpriseId: 'ent-c' };
  t.same(rankEnterprises([b, a, c]).map((r) => [r.enterpriseId, r.rank]), [
    ['ent-a', 1],
    ['ent-c', 2],
    ['ent-b', 3],
  ]);
});
