// Alerts across a collector restart: the engine starts from the alerts stored before
// (live-models.ts recentAlerts), so a condition that goes on after the restart extends its
// alert, and a data gap open before it is withdrawn when its backlog arrives after.
import t from 'tap';
import { createApiToken } from '../../collector/http/auth.js';
import { apiClient, connectGateway, eventually, kilnAndDust, publishAcked, seedWithThresholds, startTestCollector, tempDir } from './fixtures.js';

const MINUTE_MS = 60_000;

interface Alert {
  id: number;
  model: string;
  to: number;
  state: string;
  disposition: string | null;
  withdrawn?: string;
}

t.test('alerts across a restart – the same condition extends the same alert; a gap raised before is withdrawn by its backlog after', async (t) => {
  const { db, cleanup } = tempDir();
  seedWithThresholds(db);
  t.teardown(cleanup);
  const t0 = Date.now() - 35 * MINUTE_MS;
  const alertsOf = async (url: string, token: string, model: string): Promise<Alert[]> => (await apiClient(url, token)('GET', `/api/v1/alerts?model=${model}&enterprise=a`)).json().alerts;

  // First run: 20 minutes of the kiln running with its dust collector off, then silence.
  const first = await startTestCollector(db);
  const token = await createApiToken(first.store, 'read', 'test', Date.now());
  const gw = await connectGateway(first.mqttUrl, 'gw-a');
  t.teardown(async () => {
    gw.end(true);
    await first.stop();
  });
  await publishAcked(gw, 'gw-a', kilnAndDust(1n, t0, t0 + 20 * MINUTE_MS, 50_000, 0));
  let before: Alert[] = [];
  let gap: Alert[] = [];
  await eventually(async () => {
    before = await alertsOf(first.httpUrl, token, 'treatment-off');
    gap = await alertsOf(first.httpUrl, token, 'data-gap');
    return before.length === 1 && gap.length === 2;
  }, 'treatment-off, and data-gap for the kiln and the dust collector', 20_000);
  gw.end(true);
  await first.stop();

  // Second run on the same file: the next minutes up to now arrive (the gap's backlog) and the dust collector is still off.
  const second = await startTestCollector(db);
  const again = await connectGateway(second.mqttUrl, 'gw-a');
  t.teardown(async () => {
    again.end(true);
    await second.stop();
  });
  await publishAcked(again, 'gw-a', kilnAndDust(1_000n, t0 + 20 * MINUTE_MS, Date.now() - 1_000, 50_000, 0));
  let after: Alert[] = [];
  await eventually(async () => {
    after = await alertsOf(second.httpUrl, token, 'treatment-off');
    gap = await alertsOf(second.httpUrl, token, 'data-gap');
    return after.length === 1 && after[0]!.to > before[0]!.to && gap.every((g) => g.state === 'closed');
  }, 'the alert extended and the gap withdrawn', 20_000);
  t.equal(after[0]!.id, before[0]!.id, 'still one treatment-off alert, the same one');
  t.ok(after[0]!.to >= t0 + 30 * MINUTE_MS, 'its window reaches into the minutes sent after the restart');
  const withdrawn = { state: 'closed', disposition: 'false-alarm', withdrawn: 'data arrived' };
  t.match(gap, [withdrawn, withdrawn], 'the gaps the backlog filled are withdrawn');
});
