// Learned and configured levels over HTTP: a facility without thresholds shows what the
// models learned from its history and uses it; once an operator sets thresholds through
// PUT /api/v1/facilities/:id the effective levels are the configured ones at once.
import t from 'tap';
import { createApiToken } from '../../collector/http/auth.js';
import { apiClient, enterprise, kilnAndDust, publishAcked, seededCollector } from './fixtures.js';

const MINUTE_MS = 60_000;

t.test('facility levels – learned levels when none are configured; after a PUT of thresholds the configured ones are in effect', async (t) => {
  const { collector, clients: [gw] } = await seededCollector(t, ['gw-a']);
  const admin = apiClient(collector.httpUrl, await createApiToken(collector.store, 'admin', 'test', Date.now()));
  const read = apiClient(collector.httpUrl, await createApiToken(collector.store, 'read', 'test', Date.now()));

  // An hour of the kiln at ~50 kW, then an hour at rest (~2 kW): two levels to learn.
  const start = Date.now() - 2 * 60 * MINUTE_MS;
  const working = kilnAndDust(1n, start, start + 60 * MINUTE_MS, 50_000, 5_000);
  await publishAcked(gw!, 'gw-a', [...working, ...kilnAndDust(BigInt(working.length + 1), start + 60 * MINUTE_MS, Date.now() - 1_000, 2_000, 0)]);

  const learnedOnly = await read('GET', '/api/v1/facilities/a-kiln/levels');
  t.equal(learnedOnly.status, 200);
  const body = learnedOnly.json();
  t.same(body.configured, {}, 'nothing configured');
  t.ok(body.learned.runningLevelW > 40_000 && body.learned.restLevelW < 5_000, `learned the running (${body.learned.runningLevelW} W) and rest (${body.learned.restLevelW} W) levels`);
  t.same(body.effective, { offBelowW: body.learned.offBelowW, runningAboveW: body.learned.runningAboveW, runningLevelW: body.learned.runningLevelW }, 'the learned levels are in effect');

  const kiln = enterprise('a', 'gw-a').facilities[0]!;
  const edit = { enterpriseId: 'a', name: kiln.name, kind: kiln.kind, serves: [] };
  const bad = await admin('PUT', '/api/v1/facilities/a-kiln', { ...edit, thresholds: { offBelowW: 3_000, runningAboveW: -1 } });
  t.equal(bad.status, 400);
  t.match(bad.json(), { error: { code: 'TANDEM_COLLECTOR_INVALID', message: /^thresholds\.runningAboveW: expected a number of watts ≥ 0, got -1/ } }, 'the error names the field');
  t.match((await admin('PUT', '/api/v1/facilities/a-kiln', { ...edit, thresholds: { offBelow: 3_000 } })).json(), { error: { message: /^thresholds\.offBelow: not a threshold/ } });
  t.equal((await read('GET', '/api/v1/facilities/a-kiln/levels')).json().configured.offBelowW, undefined, 'a refused edit changed nothing');

  t.equal((await admin('PUT', '/api/v1/facilities/a-kiln', { ...edit, thresholds: { offBelowW: 3_000, runningAboveW: 20_000 } })).status, 200);
  const configured = (await read('GET', '/api/v1/facilities/a-kiln/levels')).json();
  t.same(configured.configured, { offBelowW: 3_000, runningAboveW: 20_000 });
  t.same(configured.effective, { offBelowW: 3_000, runningAboveW: 20_000, runningLevelW: body.learned.runningLevelW }, 'configured thresholds win; the running level not set stays learned');
  t.same(configured.learned, body.learned, 'what was learned is still shown beside them');

  t.equal((await read('GET', '/api/v1/facilities/nowhere/levels')).status, 404);
});
