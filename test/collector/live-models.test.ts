// The models as `tandem collector` runs them: readings stored over MQTT reach the live
// engine, a treatment-off alert appears in the alert API, and a subscribed webhook receives
// it signed. (The models' own rules are tested in test/models.)
import t from 'tap';
import http from 'node:http';
import { topicFor } from '../../protocol/index.js';
import { createApiToken } from '../../collector/http/auth.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '../../collector/alerts/webhooks.js';
import { hashPassword } from '../../collector/broker/secrets.js';
import { SqliteStore } from '../../collector/store/sqlite/sqlite-store.js';
import { ackCovers, batchPayload, connectGateway, enterprise, eventually, nextMessage, PASSWORD, startTestCollector, tempDir } from './fixtures.js';

const MINUTES = 30;

t.test('live models – production running with its treatment off raises treatment-off, in the API and by webhook', async (t) => {
  const { db, cleanup } = tempDir();
  const setup = new SqliteStore(db);
  const site = enterprise('a', 'gw-a');
  site.facilities[0]!.thresholds = { offBelowW: 1_000, runningAboveW: 10_000 };
  site.facilities[1]!.thresholds = { offBelowW: 500, runningAboveW: 2_000 };
  setup.importEnterprise(site, Date.now());
  setup.setGatewayPassword('gw-a', hashPassword(PASSWORD));
  setup.close();

  const received: { body: string; ok: boolean }[] = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ body, ok: verifySignature('hook-secret', String(req.headers[TIMESTAMP_HEADER]), body, String(req.headers[SIGNATURE_HEADER])) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const collector = await startTestCollector(db);
  const gw = await connectGateway(collector.mqttUrl, 'gw-a');
  t.teardown(async () => {
    gw.end(true);
    await collector.stop();
    receiver.close();
    cleanup();
  });
  const token = await createApiToken(collector.store, 'admin', 'test', Date.now());
  const api = (method: string, path: string, body?: unknown) =>
    fetch(collector.httpUrl + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => r.json());
  const hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  t.match(await api('POST', '/api/v1/webhooks', { url: hookUrl, secret: 'hook-secret' }), { url: hookUrl });

  // 30 minutes at 15 s: the kiln at 50 kW, its dust collector at 0 W.
  const start = Date.now() - (MINUTES + 2) * 60_000;
  const rows = Array.from({ length: MINUTES * 4 * 2 }, (_, i) => ({
    seq: BigInt(i + 1),
    meter: i % 2 === 0 ? 'm1' : 'm2',
    t: start + Math.floor(i / 2) * 15_000,
    values: { p: i % 2 === 0 ? 50_000 : 0, ei: 100 + i },
  }));
  await gw.subscribeAsync(topicFor('gw-a', 'ack'), { qos: 1 });
  const acked = nextMessage(gw, topicFor('gw-a', 'ack'), (p) => ackCovers(p, 1n, BigInt(rows.length)));
  await gw.publishAsync(topicFor('gw-a', 'data'), batchPayload('gw-a', rows), { qos: 1 });
  await acked;

  let alerts: { model: string; facilities: string[]; state: string }[] = [];
  await eventually(async () => {
    alerts = (await api('GET', '/api/v1/alerts?model=treatment-off')).alerts;
    return alerts.length > 0;
  }, 'a treatment-off alert', 20_000);
  t.match(alerts[0], { model: 'treatment-off', state: 'open' });
  t.ok(alerts[0]!.facilities.includes('a-dust'), 'it names the dust collector');
  await eventually(() => received.some((r) => r.body.includes('treatment-off')), 'the webhook delivery', 20_000);
  t.ok(received.every((r) => r.ok), 'every delivery carries a valid signature');
  const health = await api('GET', '/api/v1/health');
  t.ok(health.models.evaluations > 0 && health.models.upserts > 0, 'the health endpoint counts the evaluations and what they raised');
  t.ok(health.models.recentMinutes.rows > 0, 'and the recent rows kept in memory');
});
