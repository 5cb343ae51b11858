// `npm start`'s code path with short times: every simulated site's readings are stored,
// and the live violation raises an alert through Modbus → agent → MQTT → collector.
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo } from '../../demo/demo.js';
import { createLogger } from '../../lib/logger.js';
import { eventually } from '../collector/fixtures.js';

const LIVE_TIMEOUT_MS = 120_000;

t.test('demo – every site delivers live readings and the live violation raises an alert', async (t) => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'tandem-demo-')), 'data');
  t.teardown(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));
  const lines: string[] = [];
  const startedAt = Date.now();
  const demo = await startDemo({
    dataDir,
    httpPort: 0,
    mqttPort: 0,
    days: 1,
    violationAfterS: 1,
    violation: 'reversed-ct',
    logger: createLogger('demo-test', 'error'),
    progress: (line) => lines.push(line),
  });
  t.teardown(() => demo.stop());
  t.equal(demo.sites.length, 3, 'three simulated enterprises');
  const kinds = new Set(demo.sites.flatMap((s) => s.site.buses.map((b) => b.kind)));
  t.ok(kinds.has('tcp') && kinds.has('rtu-over-tcp'), `Modbus TCP and RTU over TCP (${[...kinds].join(', ')})`);

  const store = demo.collector.store;
  for (const { site, gatewayId } of demo.sites) {
    await eventually(
      async () => {
        const readings = await Promise.all(site.meters.map((m) => store.readings(gatewayId, m.id, startedAt, Date.now() + 60_000, 1)));
        return readings.every((r) => r.length > 0);
      },
      `live readings from every meter of ${site.id}`,
      LIVE_TIMEOUT_MS,
    );
    t.pass(`${site.id}: every meter has live readings stored`);
    const history = await store.readings(gatewayId, site.meters[0]!.id, startedAt - 86_400_000, startedAt - 3_600_000, 1);
    t.equal(history.length, 1, `${site.id}: history arrived as backlog`);
  }

  const violation = await demo.violation;
  await eventually(
    async () => {
      const alerts = await store.alerts({ model: violation.model, enterpriseId: violation.enterpriseId, limit: 50 });
      return alerts.some((a) => a.to >= violation.at && !a.late);
    },
    `a live ${violation.model} alert for ${violation.enterpriseId}`,
    LIVE_TIMEOUT_MS,
  );
  t.pass(`live ${violation.model} alert raised for ${violation.target}`);
  await eventually(async () => lines.some((l) => l.startsWith('live alert #')), 'the demo saying the live alert was raised', LIVE_TIMEOUT_MS);
  t.match(lines.find((l) => l.startsWith('live alert #')), new RegExp(`^live alert #\\d+ raised \\d+ s after the injection: ${violation.model}, `), 'the demo says so');

  const page = await fetch(`${demo.httpUrl}/`);
  t.equal(page.status, 200, 'the web page is served');
  const api = await fetch(`${demo.httpUrl}/api/v1/views/overview`, { headers: { authorization: `Bearer ${demo.token}` } });
  t.equal(api.status, 200, 'the printed operator token works');
});
