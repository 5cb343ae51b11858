// What the page relies on from the server, without a browser: the static files (and only
// them), the view endpoints' numbers, refusals that name the field, and the two
// dictionaries having the same keys.
import t from 'tap';
import { createApiToken } from '../../collector/http/auth.js';
import { CEMENT, GLASS, PAINT, STEEL } from './site.js';
import { startStand, VIOLATION, type Stand } from './stand.js';

let stand: Stand;
t.before(async () => {
  stand = await startStand();
});
t.teardown(() => stand?.stop());

async function get(path: string, token: string | null = stand.token, headers: Record<string, string> = {}) {
  const response = await fetch(stand.pageUrl + path, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function post(path: string, body: unknown) {
  const response = await fetch(stand.pageUrl + path, { method: 'POST', headers: { authorization: `Bearer ${stand.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as { error?: { message: string } } & Record<string, unknown> };
}

t.test('web files – the page, its modules and uPlot are served; nothing else is', async (t) => {
  const index = await get('/', null);
  t.equal(index.status, 200);
  t.match(index.headers.get('content-type'), /text\/html/);
  t.match(index.text, /\/web\/app\.js/);
  t.match((await get('/web/views/enterprise.js', null)).headers.get('content-type'), /javascript/);
  t.equal((await get('/vendor/uplot/uPlot.iife.min.js', null)).status, 200);
  const again = await get('/web/app.js', null, { 'if-none-match': index.headers.get('etag') ?? '' });
  t.equal(again.status, 200, 'another file’s etag does not match');
  const app = await get('/web/app.js', null);
  t.equal((await get('/web/app.js', null, { 'if-none-match': app.headers.get('etag')! })).status, 304, 'an unchanged file costs a 304');
  for (const path of ['/web/README.md', '/web/../index.ts', '/web/%2e%2e/index.ts', '/vendor/uplot/package.json', '/vendor/uplot/uPlot.esm.js', '/web/.hidden.js']) {
    t.not((await get(path, null)).status, 200, `${path} is not served`);
  }
  t.equal((await get('/web/nope.js', null)).status, 404);
});

t.test('web dictionaries – Chinese and English have the same keys', async (t) => {
  const load = async (lang: string) => ((await import(`../../collector/web/i18n/${lang}.js`)) as { default: Record<string, string> }).default;
  const [zh, en] = [await load('zh'), await load('en')];
  t.same(Object.keys(en).sort(), Object.keys(zh).sort());
  t.ok(Object.keys(zh).length > 100);
});

t.test('views – overview states and the series numbers', async (t) => {
  const overview = JSON.parse((await get('/api/v1/views/overview')).text);
  t.same(overview.totals.byState, { tandem: 1, alert: 1, gap: 1, offline: 1 });
  t.same([overview.totals.open, overview.totals.overdue], [3, 0], 'treatment-off at the steel plant, data-gap for each silent meter; none overdue yet');
  t.same(overview.enterprises.map((e: { id: string; openAlerts: number }) => [e.id, e.openAlerts]).sort(), [[CEMENT.id, 0], [GLASS.id, 2], [PAINT.id, 0], [STEEL.id, 1]].sort());
  const steel = overview.enterprises.find((e: { id: string }) => e.id === STEEL.id);
  t.same(steel.facilities.map((f: { kind: string }) => f.kind), ['production', 'treatment']);
  t.ok(Date.now() - steel.lastDataAt < 3 * 60_000, 'newest data is the last minute fed');

  // The violation's hour, per minute: the kiln runs, the dust collector is off.
  const series = JSON.parse((await get(`/api/v1/views/enterprises/${STEEL.id}/series`)).text);
  const dayStart = series.t[0];
  const from = dayStart + (VIOLATION.fromMinute + 5) * 60_000;
  const zoom = JSON.parse((await get(`/api/v1/views/enterprises/${STEEL.id}/series?from=${from}&to=${from + 30 * 60_000}`)).text);
  t.equal(zoom.stepMs, 60_000, 'half an hour is shown per minute');
  const [kiln, dust] = zoom.series;
  t.ok(kiln.values.every((w: number) => w > 300_000), 'kiln running');
  t.ok(dust.values.every((w: number) => w < 5_000), 'dust collector off');
  t.equal(series.series[0].values.length, series.t.length);
  t.same(series.alerts.map((a: { id: number; state: string }) => [a.id, a.state]), [[stand.alertId, 'open']], 'the alert to shade');

  const only = JSON.parse((await get(`/api/v1/views/enterprises/${STEEL.id}/series?facilities=${STEEL.id}-dust`)).text);
  t.same(only.series.map((s: { id: string }) => s.id), [`${STEEL.id}-kiln`, `${STEEL.id}-dust`], 'a facility comes with the ones linked to it');
});

t.test('views – refusals name what to fix', async (t) => {
  const message = async (path: string) => JSON.parse((await get(path)).text).error.message as string;
  t.match(await message(`/api/v1/views/enterprises/${STEEL.id}/series?from=abc`), /from: expected epoch milliseconds or an ISO 8601 time, got 'abc'/);
  t.match(await message(`/api/v1/views/enterprises/${STEEL.id}/series?from=10&to=5`), /from \(10\) must be before to \(5\)/);
  t.match(await message(`/api/v1/views/enterprises/${STEEL.id}/series?from=0&to=${100 * 86_400_000}`), /spans more than 62 days/);
  t.match(await message(`/api/v1/views/enterprises/${STEEL.id}/series?facilities=x`), /facilities: 'x' is not a facility of enterprise/);
  t.equal((await get('/api/v1/views/enterprises/nope/series')).status, 404);
  t.equal((await get('/api/v1/views/overview', null)).status, 401);
  t.equal((await get('/api/v1/views/overview', 'tdm_wrong')).status, 401);
});

t.test('orders and notices – entered, listed, and refused with the field named', async (t) => {
  const from = Date.UTC(2026, 0, 10, 0);
  const to = from + 86_400_000;
  const group = await post('/api/v1/orders', { kind: 'stop', group: '东区', from, to });
  t.equal(group.status, 201);
  t.same((group.body.enterpriseIds as string[]).sort(), [STEEL.id, CEMENT.id].sort(), 'a group order is expanded to its enterprises');
  t.match((await post('/api/v1/orders', { kind: 'limit', enterpriseIds: [STEEL.id], from, to })).body.error?.message, /limitPct: a limit order needs/);
  t.match((await post('/api/v1/orders', { kind: 'stop', enterpriseIds: ['nope'], from, to })).body.error?.message, /enterpriseIds: no enterprise 'nope'/);
  t.match((await post('/api/v1/orders', { kind: 'stop', enterpriseIds: [STEEL.id], from: to, to: from })).body.error?.message, /to: must be after from/);
  t.match((await post('/api/v1/orders', { kind: 'pause', enterpriseIds: [STEEL.id], from, to })).body.error?.message, /kind/);
  t.match((await post('/api/v1/notices', { facility: 'nope', from, to, reason: 'x' })).body.error?.message, /facility: no facility 'nope'/);
  t.equal((await post('/api/v1/notices', { facility: `${STEEL.id}-dust`, from, to, reason: '更换滤袋' })).status, 201);
  const listed = JSON.parse((await get('/api/v1/notices')).text);
  t.same(listed.notices.map((n: { reason: string }) => n.reason), ['更换滤袋']);
  t.equal(JSON.parse((await get('/api/v1/orders')).text).orders.length, 1);
});

t.test('alerts – filters, and a step the state does not allow is refused with what to do', async (t) => {
  const list = async (query: string) => JSON.parse((await get(`/api/v1/alerts${query}`)).text);
  const ids = async (query: string) => (await list(query)).alerts.map((a: { id: number }) => a.id);
  t.same(await ids(`?enterprise=${STEEL.id}&state=open,acknowledged`), [stand.alertId]);
  t.same(await ids('?model=treatment-off'), [stand.alertId]);
  t.same(await ids(`?enterprise=${CEMENT.id}`), []);
  t.same((await list('?model=data-gap')).alerts.map((a: { enterpriseId: string }) => a.enterpriseId), [GLASS.id, GLASS.id], 'one data-gap alert per silent meter');
  t.same(await ids('?model=night-production'), []);
  t.match((await list('?state=opened')).error.message, /state: 'opened' is not one of open, acknowledged, dispatched, closed/);
  const alert = JSON.parse((await get(`/api/v1/alerts/${stand.alertId}`)).text);
  t.same([alert.state, alert.overdue, alert.evidence.dwellMin], ['open', false, 10], 'one alert with its evidence');
  t.equal(alert.to - alert.from, (VIOLATION.toMinute - VIOLATION.fromMinute) * 60_000, 'the model found the whole injected window');
  const dispatch = await post(`/api/v1/alerts/${stand.alertId}/dispatch`, {});
  t.equal(dispatch.status, 409);
  t.match(dispatch.body.error?.message, /alert \d+ is open; it cannot be dispatched; acknowledge it first/);
  const close = await post(`/api/v1/alerts/${stand.alertId}/close`, { disposition: 'fixed' });
  t.match(close.body.error?.message, /disposition: expected one of violation, equipment-fault, declared, false-alarm, got "fixed"/);
  t.equal((await post(`/api/v1/alerts/${stand.alertId}/close`, { disposition: 'false-alarm', by: '张三' })).status, 200);
  t.match((await post(`/api/v1/alerts/${stand.alertId}/acknowledge`, {})).body.error?.message, /is closed; it cannot be acknowledged/);
  const reader = await createApiToken(stand.collector.store, 'read', 'viewer', Date.now());
  t.equal((await get(`/api/v1/alerts/${stand.alertId}`, reader)).status, 200, 'a read token may look');
  const refused = await fetch(`${stand.pageUrl}/api/v1/alerts/${stand.alertId}/close`, { method: 'POST', headers: { authorization: `Bearer ${reader}` }, body: '{"disposition":"violation"}' });
  t.equal(refused.status, 403, 'but not act');
  t.equal((await get('/api/v1/alerts/99999')).status, 404);
  t.equal((await get('/api/v1/alerts/abc')).status, 400);
});
