// Model parameters per enterprise and facility (DESIGN.md "The models": every threshold is
// configurable per enterprise or facility): the API and its checks, the CLI on the same
// database, and the live models over MQTT judging by the parameters set.
import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { topicFor, type Reading } from '../../protocol/index.js';
import { createApiToken } from '../../collector/http/auth.js';
import { hashPassword } from '../../collector/broker/secrets.js';
import { SqliteStore } from '../../collector/store/sqlite/sqlite-store.js';
import { ackCovers, batchPayload, connectGateway, enterprise, eventually, nextMessage, PASSWORD, startTestCollector, tempDir } from './fixtures.js';

const run = promisify(execFile);
const TANDEM = fileURLToPath(new URL('../../bin/tandem.js', import.meta.url));
const MINUTE_MS = 60_000;
/** The treatment is off this long: longer than the 3 min set, shorter than the 10 min default. */
const OFF_MINUTES = 6;
const SHORT_DWELL_MIN = 3;

async function setup(t: Test) {
  const { db, cleanup } = tempDir();
  const store = new SqliteStore(db);
  for (const [id, gw] of [['a', 'gw-a'], ['b', 'gw-b']] as const) {
    const site = enterprise(id, gw);
    site.facilities[0]!.thresholds = { offBelowW: 1_000, runningAboveW: 10_000 };
    site.facilities[1]!.thresholds = { offBelowW: 500, runningAboveW: 2_000 };
    store.importEnterprise(site, Date.now());
    store.setGatewayPassword(gw, hashPassword(PASSWORD));
  }
  store.close();
  const collector = await startTestCollector(db);
  t.teardown(async () => {
    await collector.stop();
    cleanup();
  });
  const client = (token: string) => async (method: string, path: string, body?: unknown) => {
    const response = await fetch(collector.httpUrl + path, {
      method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  return {
    db, collector,
    admin: client(await createApiToken(collector.store, 'admin', 'test', Date.now())),
    reader: client(await createApiToken(collector.store, 'read', 'test', Date.now())),
  };
}

t.test('model params – API: the catalogue, set, read with defaults, checks naming the field, reset; the CLI on the same file', async (t) => {
  const { db, admin, reader } = await setup(t);
  const models = (await reader('GET', '/api/v1/models')).body.models as { id: string; defaults: Record<string, number> }[];
  t.equal(models.length, 13, 'all 13 models');
  t.match(models.find((m) => m.id === 'treatment-off'), { kind: 'realtime', defaults: { dwellMin: 10 } });

  const path = '/api/v1/model-params/enterprises/a/treatment-off';
  t.match(await reader('PUT', path, { dwellMin: 3 }), { status: 403 }, 'read role may not change them');
  t.match(await admin('PUT', path, { dwell: 3 }), { status: 400, body: { error: { code: 'TANDEM_COLLECTOR_INVALID', message: /dwell: not a parameter of treatment-off \(it has dwellMin\)/ } } });
  t.match(await admin('PUT', path, { dwellMin: '3' }), { status: 400, body: { error: { message: /dwellMin: expected a finite number/ } } });
  t.match(await admin('PUT', path, {}), { status: 400, body: { error: { message: /no parameters given/ } } });
  t.match(await admin('PUT', '/api/v1/model-params/enterprises/a/no-such-model', { dwellMin: 3 }), { status: 404, body: { error: { message: /model: no model 'no-such-model'/ } } });
  t.match(await admin('PUT', '/api/v1/model-params/enterprises/zz/treatment-off', { dwellMin: 3 }), { status: 404, body: { error: { message: /enterprise 'zz'/ } } });
  t.match(await admin('PUT', '/api/v1/model-params/plants/a/treatment-off', { dwellMin: 3 }), { status: 404, body: { error: { message: /enterprises or facilities/ } } });

  t.match(await admin('PUT', path, { dwellMin: 5 }), { status: 200, body: { params: { dwellMin: 5 } } });
  t.match(await admin('PUT', '/api/v1/model-params/facilities/a-dust/treatment-weak', { ratioPct: 40 }), { status: 200 });
  t.match(await reader('GET', '/api/v1/model-params/facilities/a-dust/treatment-weak'), { status: 200, body: { defaults: { dwellMin: 30, ratioPct: 50 }, params: { ratioPct: 40 }, effective: { dwellMin: 30, ratioPct: 40 } } });
  t.match(await reader('GET', '/api/v1/model-params'), { body: { enterprises: { a: { 'treatment-off': { dwellMin: 5 } } }, facilities: { 'a-dust': { 'treatment-weak': { ratioPct: 40 } } } } });

  // The CLI writes the same file; a facility's value beats its enterprise's.
  const cli = await run(process.execPath, [TANDEM, 'collector', 'model-params', 'set', '--db', db, '--facility', 'a-dust', '--model', 'treatment-off', `dwellMin=${SHORT_DWELL_MIN}`]);
  t.match(cli.stdout, /treatment-off for facility 'a-dust': \{"dwellMin":3\}/);
  t.match(await reader('GET', '/api/v1/model-params/facilities/a-dust/treatment-off'), { body: { params: { dwellMin: 3 }, effective: { dwellMin: 3 } } });
  const refused = await run(process.execPath, [TANDEM, 'collector', 'model-params', 'set', '--db', db, '--enterprise', 'a', '--model', 'treatment-off', 'dwellMin=soon']).catch((e: { code: number; stderr: string }) => e);
  t.match(refused, { code: 2, stderr: /dwellMin: expected a finite number like the default 10, got "soon"/ });

  t.match(await admin('DELETE', path), { status: 200 });
  t.match(await admin('DELETE', path), { status: 404 }, 'already on the defaults');
  t.match(await reader('GET', path), { body: { params: {}, effective: { dwellMin: 10 } } });
});

/** `minutes` minutes of the kiln (m1) at 50 kW and its dust collector (m2) at 5 kW, except `off` minutes at 0 W from minute `offFrom`. */
function treatmentOffRows(start: number, minutes: number, offFrom: number, off: number): Reading[] {
  return Array.from({ length: minutes * 4 * 2 }, (_, i) => {
    const minute = Math.floor(i / 8);
    const dustOff = minute >= offFrom && minute < offFrom + off;
    return { seq: BigInt(i + 1), meter: i % 2 === 0 ? 'm1' : 'm2', t: start + Math.floor(i / 2) * 15_000, values: { p: i % 2 === 0 ? 50_000 : dustOff ? 0 : 5_000, ei: 100 + i } };
  });
}

t.test(`model params – a ${SHORT_DWELL_MIN} min treatment-off dwell set for one enterprise raises a ${OFF_MINUTES} min condition live; the other, on the 10 min default, only once set too`, async (t) => {
  const { collector, admin, reader } = await setup(t);
  t.match(await admin('PUT', '/api/v1/model-params/enterprises/a/treatment-off', { dwellMin: SHORT_DWELL_MIN }), { status: 200 });

  const start = Math.floor((Date.now() - 22 * MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
  const rows = treatmentOffRows(start, 20, 8, OFF_MINUTES);
  // b first, then a: once a's alert exists, b's window has been evaluated too.
  for (const gwId of ['gw-b', 'gw-a']) {
    const gw = await connectGateway(collector.mqttUrl, gwId);
    t.teardown(() => gw.end(true));
    await gw.subscribeAsync(topicFor(gwId, 'ack'), { qos: 1 });
    const acked = nextMessage(gw, topicFor(gwId, 'ack'), (p) => ackCovers(p, 1n, BigInt(rows.length)));
    await gw.publishAsync(topicFor(gwId, 'data'), batchPayload(gwId, rows), { qos: 1 });
    await acked;
  }
  const alertsOf = async (enterpriseId: string) =>
    ((await reader('GET', '/api/v1/alerts?model=treatment-off')).body.alerts as { enterpriseId: string; from: number; evidence: Record<string, unknown> }[]).filter((a) => a.enterpriseId === enterpriseId);
  await eventually(async () => (await alertsOf('a')).length > 0, "enterprise a's treatment-off alert", 20_000);
  const [alert] = await alertsOf('a');
  t.equal(alert!.from, start + 8 * MINUTE_MS, 'it starts when the dust collector went off');
  t.match(alert, { evidence: { dwellMin: SHORT_DWELL_MIN } }, 'judged by the dwell set for a');
  t.same(await alertsOf('b'), [], 'enterprise b, on the default dwell, has none for the same condition');

  // Setting it for b re-evaluates b's recent past with the new dwell.
  t.match(await admin('PUT', '/api/v1/model-params/enterprises/b/treatment-off', { dwellMin: SHORT_DWELL_MIN }), { status: 200 });
  await eventually(async () => (await alertsOf('b')).length > 0, "enterprise b's alert after its parameters changed", 20_000);
  t.pass('b raised once its dwell was set');
});
