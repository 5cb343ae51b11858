// The daily risk ranking as `tandem collector` keeps it: a day of data that crossed local
// midnight makes the risk-ranking model score each enterprise, the scores are stored, and
// GET /api/v1/rankings lists them ranked (the model's own rule is tested in test/models).
import t from 'tap';
import { createApiToken } from '../../collector/http/auth.js';
import { apiClient, eventually, kilnAndDust, publishAcked, seedWithThresholds, seededCollector } from './fixtures.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

t.test('rankings – the risk scores of a finished day are stored and served ranked, highest risk first', async (t) => {
  const { collector, clients: [gwA, gwB] } = await seededCollector(t, ['gw-a', 'gw-b'], {}, (db) => seedWithThresholds(db, 'UTC'));
  const read = apiClient(collector.httpUrl, await createApiToken(collector.store, 'read', 'test', Date.now()));

  // The last 40 minutes of the day before yesterday (UTC) and 5 of yesterday: that day is
  // over, so it is scored (a day back, so that no reading is ahead of the clock at any hour).
  const midnight = Date.now() - (Date.now() % DAY_MS) - DAY_MS;
  const day = new Date(midnight - DAY_MS).toISOString().slice(0, 10);
  t.same((await read('GET', '/api/v1/rankings')).json(), { date: null, ranking: [] }, 'nothing ranked yet');
  // a runs its kiln with the dust collector off (violation minutes); b runs both.
  await publishAcked(gwA, 'gw-a', kilnAndDust(1n, midnight - 40 * MINUTE_MS, midnight + 5 * MINUTE_MS, 50_000, 0));
  await publishAcked(gwB, 'gw-b', kilnAndDust(1n, midnight - 40 * MINUTE_MS, midnight + 5 * MINUTE_MS, 50_000, 5_000));

  let body: { date: string; ranking: { rank: number; enterpriseId: string; score: number; evidence: Record<string, number> }[] } = { date: '', ranking: [] };
  await eventually(async () => {
    body = (await read('GET', '/api/v1/rankings')).json();
    return body.ranking.length === 2;
  }, 'both enterprises ranked', 20_000);
  t.equal(body.date, day, 'the latest day is the one that ended');
  t.same(body.ranking.map((r) => [r.rank, r.enterpriseId]), [[1, 'a'], [2, 'b']], 'the enterprise running without treatment ranks first');
  t.ok(body.ranking[0]!.score > body.ranking[1]!.score, 'by score');
  t.ok(body.ranking[0]!.evidence.violationMinutes! > 0, 'with the evidence the score came from');

  t.same((await read('GET', `/api/v1/rankings?date=${day}`)).json(), body, 'the same day asked by date');
  t.same((await read('GET', '/api/v1/rankings?date=2020-01-01')).json(), { date: '2020-01-01', ranking: [] }, 'a day without scores is empty');
  const bad = await read('GET', '/api/v1/rankings?date=yesterday');
  t.equal(bad.status, 400);
  t.match(bad.json(), { error: { code: 'TANDEM_COLLECTOR_INVALID', message: /date: expected a local date YYYY-MM-DD/ } });
});
