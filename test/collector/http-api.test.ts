// The HTTP API over a real socket: bearer roles, registry import with errors that name the
// field, enrolment (one-time token → MQTT credentials that work), readings and downsampled
// facility series, gateways' config rollout, quarantine; and the CLI around it.
import t from 'tap';
import net from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../../collector/store/sqlite/sqlite-store.js';
import { decodePayload, encodePayload, topicFor } from '../../protocol/index.js';
import { createApiToken } from '../../collector/http/auth.js';
import { batchPayload, connectGateway, enterprise, eventually, nextMessage, readings, startTestCollector, tempDir } from './fixtures.js';

const run = promisify(execFile);
const TANDEM = fileURLToPath(new URL('../../bin/tandem.js', import.meta.url));

function api(base: string, token?: string) {
  return async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const response = await fetch(base + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
}

t.test('http api – roles, import, enrolment, readings, series, gateways and quarantine', async (t) => {
  const { db, cleanup } = tempDir();
  const collector = await startTestCollector(db);
  t.teardown(async () => {
    await collector.stop();
    cleanup();
  });
  const admin = api(collector.httpUrl, await createApiToken(collector.store, 'admin', 'test', Date.now()));
  const reader = api(collector.httpUrl, await createApiToken(collector.store, 'read', 'test', Date.now()));
  const anonymous = api(collector.httpUrl);

  t.match(await anonymous('GET', '/api/v1/health'), { status: 401, body: { error: { code: 'TANDEM_COLLECTOR_UNAUTHORIZED', message: /Bearer/ } } });
  t.match(await api(collector.httpUrl, 'nope')('GET', '/api/v1/health'), { status: 401 });
  t.match(await reader('POST', '/api/v1/enterprises', { enterprises: [] }), { status: 403, body: { error: { code: 'TANDEM_COLLECTOR_FORBIDDEN' } } });
  t.match(await reader('GET', '/api/v1/nothing'), { status: 404, body: { error: { message: /\/api\/v1\// } } });

  const bad = enterprise('a', 'gw-a');
  bad.meters[1]!.facility = 'a-missing';
  t.match(await admin('POST', '/api/v1/enterprises', bad), { status: 400, body: { error: { message: /meters\[1\]\.facility: no facility 'a-missing'/ } } }, 'an invalid import names the field');
  t.match(await admin('POST', '/api/v1/enterprises', { enterprises: [enterprise('a', 'gw-a'), { ...enterprise('b', 'gw-b'), sim: { anything: true } }] }), {
    status: 201,
    body: { imported: ['a', 'b'] },
  });
  t.match(await reader('GET', '/api/v1/enterprises/b'), { status: 200, body: { id: 'b', gateway: { id: 'gw-b' }, facilities: [{ id: 'b-kiln' }, { id: 'b-dust', serves: ['b-kiln'] }] } });
  t.equal((await reader('GET', '/api/v1/enterprises')).body.enterprises.length, 2);

  const gateways = await reader('GET', '/api/v1/gateways');
  t.match(gateways.body.gateways[0], { id: 'gw-a', config: { version: 1, ackedVersion: null, outdated: true } }, 'a version not yet acked shows as outdated');

  const enrolToken = (await admin('POST', '/api/v1/gateways/gw-a/enrol-token')).body.enrolToken as string;
  const enrolment = await anonymous('POST', '/api/v1/enroll', { token: enrolToken });
  t.match(enrolment, { status: 201, body: { gatewayId: 'gw-a', mqttUrl: collector.mqttUrl, username: 'gw-a', password: /.{20,}/ } });
  t.match(await anonymous('POST', '/api/v1/enroll', { token: enrolToken }), { status: 400, body: { error: { code: 'TANDEM_COLLECTOR_TOKEN_INVALID' } } }, 'a token works once');

  const gw = await connectGateway(enrolment.body.mqttUrl, 'gw-a', enrolment.body.password);
  t.teardown(() => gw.end(true));
  await gw.subscribeAsync(topicFor('gw-a', 'ack'), { qos: 1 });
  const t0 = Date.now() - 2 * 3_600_000;
  const acked = nextMessage(gw, topicFor('gw-a', 'ack'));
  await gw.publishAsync(topicFor('gw-a', 'data'), batchPayload('gw-a', readings(1n, 960, t0)), { qos: 1 });
  await acked;
  await gw.publishAsync(topicFor('gw-a', 'data'), Buffer.from('not json'), { qos: 1 });
  await eventually(async () => (await collector.store.quarantineCount()) === 1, 'junk quarantined');

  const raw = await reader('GET', `/api/v1/gateways/gw-a/meters/m1/readings?from=${t0}&to=${Date.now()}&limit=5`);
  t.match(raw, { status: 200, body: { readings: [{ seq: '1', meter: 'm1', t: t0 }] } });
  t.equal(raw.body.readings.length, 5);
  const series = await reader('GET', `/api/v1/facilities/a-kiln/series?from=${new Date(t0).toISOString()}&to=${t0 + 2 * 3_600_000}&points=24`);
  t.equal(series.status, 200);
  t.ok(series.body.points.length <= 24 && series.body.points.length >= 20, `downsampled to ${series.body.points.length} points`);
  t.ok(series.body.points.every((p: { powerW: number }) => p.powerW > 5000), 'with mean power');
  t.match(await reader('GET', '/api/v1/facilities/a-kiln/series?points=0'), { status: 400, body: { error: { message: /points: expected a whole number/ } } });

  await gw.subscribeAsync(topicFor('gw-a', 'command'), { qos: 1 });
  const delivered = nextMessage(gw, topicFor('gw-a', 'command'));
  const sent = await admin('POST', '/api/v1/gateways/gw-a/commands', { name: 'read', args: { meter: 'm1' } });
  t.match(sent, { status: 202, body: { gatewayId: 'gw-a', command: { name: 'read', args: { meter: 'm1' } }, reply: null } });
  const command = decodePayload(await delivered);
  t.match(command, { ok: true, value: { v: 1, id: sent.body.command.id, name: 'read' } }, 'the gateway receives the command');
  await gw.publishAsync(topicFor('gw-a', 'commandReply'), encodePayload({ v: 1, id: sent.body.command.id, ok: true, result: { p: 1234 }, t: Date.now() }), { qos: 1 });
  await eventually(async () => (await reader('GET', `/api/v1/gateways/gw-a/commands/${sent.body.command.id}`)).body.reply !== null, 'command reply recorded');
  t.match((await reader('GET', `/api/v1/gateways/gw-a/commands/${sent.body.command.id}`)).body.reply, { ok: true, result: { p: 1234 } });
  t.match(await admin('POST', '/api/v1/gateways/gw-a/commands', { name: 'reboot' }), { status: 400, body: { error: { message: /name/ } } }, 'an unknown command is refused');

  const quarantine = await reader('GET', '/api/v1/quarantine');
  t.match(quarantine.body, { total: 1, entries: [{ gatewayId: 'gw-a', reason: /not JSON/ }] });
  t.match((await reader('GET', '/api/v1/health')).body, { ok: true, ingest: { readingsStored: 960, quarantined: 1 } });
});

t.test('collector cli – tokens and enrolment tokens from the command line, clear errors for a taken port', async (t) => {
  const { dir, db, cleanup } = tempDir();
  t.teardown(cleanup);
  const token = await run(process.execPath, [TANDEM, 'collector', 'token', 'create', '--db', db, '--role', 'admin']);
  t.match(token.stdout.trim(), /^tdm_\S{40,}$/, 'prints the token alone on stdout');
  const gateway = await run(process.execPath, [TANDEM, 'collector', 'gateway', 'create', '--db', db, '--id', 'gw-new']);
  t.match(gateway.stdout.trim(), /^enr_\S{40,}$/);

  // The simulator's site files (YAML with a `sim` section) import as they are.
  const sites = ['steel-rolling', 'cement-plant', 'furniture-spray'].map((name) => fileURLToPath(new URL(`../../firmware-sim/sites/${name}.yaml`, import.meta.url)));
  const imported = await run(process.execPath, [TANDEM, 'collector', 'import', '--db', db, ...sites]);
  t.match(imported.stdout, /imported 3 enterprise\(s\): hn-rolling-02, hn-cement-01, hn-furniture-03/);
  const store = new SqliteStore(db);
  t.teardown(() => store.close());
  t.same(store.enterpriseInfos().map((e) => e.gatewayId).sort(), ['gw-cement-01', 'gw-furniture-03', 'gw-rolling-02']);
  t.notOk('sim' in store.enterprise('hn-rolling-02')!, 'the sim section is not kept');
  const broken = join(dir, 'broken.yaml');
  writeFileSync(broken, 'id: x\nname: X\ngateway: { id: gw-x, buses: [] }\nfacilities: []\nmeters: []\n');
  const refused = await run(process.execPath, [TANDEM, 'collector', 'import', '--db', db, broken]).catch((e) => e);
  t.match(refused.stderr, /TANDEM_COLLECTOR_INVALID: .*broken\.yaml: facilities/, 'a bad file is refused naming the file and field');

  const blocker = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => blocker.once('listening', resolve));
  t.teardown(() => blocker.close());
  const port = (blocker.address() as net.AddressInfo).port;
  const failed = await run(process.execPath, [TANDEM, 'collector', '--db', db, '--host', '127.0.0.1', '--mqtt-port', '0', '--http-port', String(port)]).catch((e) => e);
  t.equal(failed.code, 1);
  t.match(failed.stderr, new RegExp(`TANDEM_COLLECTOR_PORT_IN_USE: HTTP port ${port} .* --http-port`));
  const badDb = await run(process.execPath, [TANDEM, 'collector', '--db', '/nonexistent/dir/x.db', '--mqtt-port', '0', '--http-port', '0']).catch((e) => e);
  t.match(badDb.stderr, /TANDEM_COLLECTOR_DB_OPEN: cannot open database '\/nonexistent\/dir\/x.db'/);
});
