// The operator's page in a real headless Chromium against a real collector fed over MQTT:
// log in, the overview, an enterprise's two curves drawn with data, an alert taken through
// its workflow, the language switch. Screenshots land in test/web/screenshots/.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CEMENT, GLASS, PAINT, SITES, STEEL } from './site.js';
import { startStand, type Stand } from './stand.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
/** Bounded waits for the page (ms): generous for a loaded 2-core machine. */
const WAIT_MS = 15_000;
const VIEWPORT = { width: 1280, height: 860 };

if (!existsSync(CHROMIUM)) {
  t.test('web page – browser test', { skip: `${CHROMIUM} is missing (apt-get install -y chromium)` }, () => {});
} else {
  let stand: Stand;
  let browser: Browser;
  let page: Page;
  t.before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    stand = await startStand();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: VIEWPORT, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page.setDefaultTimeout(WAIT_MS);
  });
  t.teardown(async () => {
    await browser?.close();
    await stand?.stop();
  });

  t.test('web page – a wrong token is refused with words that say what to do', async (t) => {
    await page.goto(stand.pageUrl);
    await page.fill('#token', 'tdm_not-a-token');
    await page.click('form.login button[type=submit]');
    await page.waitForSelector('form.login p:has-text("重新登录")');
    t.equal(await page.evaluate(() => localStorage.getItem('tandem.token')), null, 'nothing stored');
  });

  t.test('web page – log in, and the overview lists every enterprise with its state (Chinese by default)', async (t) => {
    await page.fill('#token', stand.token);
    await page.fill('#operator', '李工');
    await page.click('form.login button[type=submit]');
    await page.waitForSelector('.view-overview table.grid');
    for (const site of SITES) t.ok(await page.isVisible(`tr[data-enterprise="${site.id}"]`), `${site.id} listed`);
    const state = (id: string) => page.textContent(`tr[data-enterprise="${id}"] .badge`);
    t.equal(await state(PAINT.id), '离线', 'a gateway that never connected is offline');
    t.equal(await state(GLASS.id), '数据中断', 'a plant silent for half an hour has a data gap');
    t.equal(await page.textContent(`tr[data-enterprise="${CEMENT.id}"] .badge`), '同步运行', 'a plant with fresh data and no alert runs in tandem');
    t.equal(await page.textContent(`tr[data-enterprise="${STEEL.id}"] .badge`), '告警', 'a plant with an open alert is in alert');
    t.equal(await page.textContent(`tr[data-enterprise="${STEEL.id}"] td:nth-child(5)`), '1', 'its open alert is counted');
    t.equal(await page.evaluate(() => localStorage.getItem('tandem.token')), stand.token, 'the token is kept');
    t.same(await page.$$eval('tr[data-enterprise]', (rows) => rows.map((r) => (r as HTMLElement).dataset.enterprise)), [PAINT.id, STEEL.id, GLASS.id, CEMENT.id], 'most urgent first');
    await page.screenshot({ path: join(SCREENSHOTS, 'overview.png') });
    await page.click('a.stat[href="#/overview?state=gap"]');
    await page.waitForSelector('h1:has-text("数据中断")');
    t.same(await page.$$eval('tr[data-enterprise]', (rows) => rows.map((r) => (r as HTMLElement).dataset.enterprise)), [GLASS.id], 'a state card narrows the list');
    await page.click('a.stat[href="#/overview"]');
    await page.waitForSelector(`tr[data-enterprise="${STEEL.id}"]`);
  });

  t.test('web page – an enterprise shows both curves drawn with data', async (t) => {
    await page.click(`tr[data-enterprise="${STEEL.id}"] a`);
    await page.waitForFunction(() => (document.querySelector('#enterprise-chart') as { chart?: unknown } | null)?.chart !== undefined);
    const drawn = await page.evaluate(() => {
      const box = document.querySelector('#enterprise-chart') as HTMLElement & { chart: { data: (number | null)[][]; series: { label: string }[] } };
      const counts = box.chart.data.slice(1).map((values) => values.filter((v) => v !== null).length);
      const canvas = box.querySelector('canvas') as HTMLCanvasElement;
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
      return { labels: box.chart.series.slice(1).map((s) => s.label), counts, painted };
    });
    const shade = await page.evaluate(() => {
      type Chart = { valToPos(v: number, scale: string, canvas?: boolean): number; bbox: { top: number }; ctx: CanvasRenderingContext2D };
      const box = document.querySelector('#enterprise-chart') as HTMLElement & { chart: Chart };
      const link = document.querySelector('a[href^="#/alert/"]') as HTMLAnchorElement;
      const row = link.closest('tr')!;
      const window = JSON.parse(row.dataset.window!) as { from: number; to: number };
      const x = Math.round(box.chart.valToPos((window.from + window.to) / 2, 'x', true));
      const [r, g, b] = box.chart.ctx.getImageData(x, Math.round(box.chart.bbox.top) + 4, 1, 1).data;
      return { r: r!, g: g!, b: b! };
    });
    t.ok(shade.r > shade.g + 20 && shade.r > shade.b + 20, `the alert window is shaded red on the chart (rgb ${shade.r},${shade.g},${shade.b})`);
    t.same(drawn.labels, ['1号窑炉 (产污设施)', '1号除尘风机 (治污设施)'], 'production and treatment curves');
    t.ok(drawn.counts.every((n) => n > 600), `both curves have a day of points (2-min buckets): ${drawn.counts.join(', ')}`);
    t.ok(drawn.painted > 10_000, `the canvas is painted (${drawn.painted} pixels)`);
    await page.screenshot({ path: join(SCREENSHOTS, 'enterprise.png'), fullPage: true });

    // Waits until the chart on the page covers the wanted number of days (the old one may still be up).
    const spanWhen = async (wanted: 'month' | 'day') => {
      const handle = await page.waitForFunction((w) => {
        const x = (document.querySelector('#enterprise-chart') as (HTMLElement & { chart?: { data: number[][] } }) | null)?.chart?.data[0];
        if (!x) return null;
        const days = (x.at(-1)! - x[0]!) / 86_400_000;
        return (w === 'month' ? days > 29 : days < 1.5) ? { days, stepMin: (x[1]! - x[0]!) / 60_000 } : null;
      }, wanted);
      return (await handle.jsonValue()) as { days: number; stepMin: number };
    };
    await page.click('a[data-range="30d"]');
    const month = await spanWhen('month');
    t.ok(month.days > 29.9, `30 days on the axis (${month.days.toFixed(2)})`);
    const box = (await page.locator('#enterprise-chart .u-over').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.96, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.99, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const zoomed = await spanWhen('day');
    t.match(await page.evaluate(() => location.hash), /from=\d+&to=\d+/, 'the zoomed window is in the URL');
    t.ok(zoomed.stepMin <= 2, `a drag zooms into under a day at fine resolution (${zoomed.days.toFixed(2)} d, ${zoomed.stepMin} min a point)`);
  });

  t.test('web page – an alert shows its evidence and moves open → acknowledged → dispatched → closed', async (t) => {
    await page.click('#nav a[href="#/overview"]');
    await page.click(`tr[data-enterprise="${STEEL.id}"] td:nth-child(5) a`);
    await page.click(`tr[data-alert="${stand.alertId}"] a`);
    await page.waitForFunction(() => (document.querySelector('#alert-chart') as { chart?: unknown } | null)?.chart !== undefined);
    const counts = await page.evaluate(() => (document.querySelector('#alert-chart') as HTMLElement & { chart: { data: (number | null)[][] } }).chart.data.slice(1).map((v) => v.filter((x) => x !== null).length));
    t.equal(counts.length, 2, 'both curves over the alert window');
    t.ok(counts.every((n) => n >= 45), `one point a minute over the window and its margins: ${counts.join(', ')}`);
    t.match(await page.textContent('.evidence'), /productionPowerW/, 'the numbers that tripped the rule');
    // A colleague acknowledges it first: this page is stale, and says what to do about it.
    const colleague = await fetch(`${stand.pageUrl}/api/v1/alerts/${stand.alertId}/acknowledge`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stand.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ by: '赵工' }),
    });
    t.equal(colleague.status, 200);
    await page.click('#do-acknowledge');
    await page.waitForSelector('#banner:has-text("请刷新页面查看最新状态后再试")');
    t.match(await page.textContent('#banner'), /操作与当前状态冲突：alert \d+ is acknowledged/);
    await page.reload();
    await page.waitForSelector('#do-dispatch');
    await page.fill('.actions input[name=note]', '电话已通知企业');
    await page.fill('.actions input[name=assignee]', '王科长');
    await page.click('#do-dispatch');
    await page.waitForSelector('#flash:has-text("已派单")');
    await page.screenshot({ path: join(SCREENSHOTS, 'alert.png'), fullPage: true });
    await page.selectOption('.actions select[name=disposition]', 'violation');
    await page.click('#do-close');
    await page.waitForSelector('#flash:has-text("已关闭")');
    t.notOk(await page.isVisible('.actions'), 'a closed alert offers no more steps');
    const stored = await stand.collector.store.alert(stand.alertId);
    t.equal(stored?.state, 'closed');
    t.equal(stored?.disposition, 'violation');
    t.ok(stored?.acknowledgedAt && stored.dispatchedAt && stored.closedAt, 'each step has its time');
    t.same([stored?.acknowledgedBy, stored?.dispatchedBy, stored?.closedBy], ['赵工', '李工', '李工'], 'and who took it');
    t.match(stored?.note, /李工: 电话已通知企业 → 王科长/);

    await page.goto(`${stand.pageUrl}/#/alerts?state=closed&model=treatment-off`);
    await page.waitForSelector(`tr[data-alert="${stand.alertId}"]`);
    await page.selectOption('.filters select[name=state]', 'open');
    await page.waitForSelector('.view-alerts .empty');
    t.pass('the queue filters by state');
  });

  t.test('web page – gateways show online state and outbox; orders and notices are entered and listed', async (t) => {
    await page.click('#nav a[href="#/gateways"]');
    await page.waitForSelector('.view-gateways table.grid');
    const steel = `tr[data-gateway="${STEEL.gatewayId}"]`;
    t.equal(await page.textContent(`${steel} .badge`), '在线');
    t.match(await page.textContent(`${steel} td:nth-child(5)`), /电表 2\/2 正常/, 'last health: both meters answer');
    t.match(await page.textContent(`${steel} td:nth-child(6)`), /v1.*已生效/, 'the configuration it runs is acked');
    t.equal(await page.textContent(`${steel} td:nth-child(7)`), '0', 'outbox empty');
    t.equal(await page.textContent(`tr[data-gateway="${PAINT.gatewayId}"] .badge`), '从未连接');
    await page.click('#nav a[href="#/orders"]');
    await page.waitForSelector('#order-form');
    await page.selectOption('#order-form select[name=enterpriseIds]', [CEMENT.id]);
    await page.fill('#order-form input[name=from]', '2026-01-10T08:00');
    await page.fill('#order-form input[name=to]', '2026-01-10T06:00');
    await page.click('#order-form button[type=submit]');
    await page.waitForSelector('#banner:has-text("结束时间必须晚于开始时间")');
    await page.fill('#order-form input[name=to]', '2026-01-12T20:00');
    await page.click('#order-form button[type=submit]');
    await page.waitForSelector('#flash');
    t.match(await page.textContent('.view-orders table.grid'), CEMENT.name, 'the order is listed');
    await page.fill('#notice-form input[name=reason]', '年度检修');
    await page.click('#notice-form button[type=submit]');
    await page.waitForSelector('td:has-text("年度检修")');
    t.same((await (await fetch(`${stand.pageUrl}/api/v1/notices`, { headers: { authorization: `Bearer ${stand.token}` } })).json()).notices.map((n: { reason: string }) => n.reason), ['年度检修'], 'stored');
  });

  t.test('web page – the language switch shows English labels and is remembered', async (t) => {
    await page.goto(`${stand.pageUrl}/#/enterprise/${STEEL.id}`);
    await page.waitForSelector('h2:has-text("产污与治污设施功率")');
    await page.click('#lang');
    await page.waitForSelector('h2:has-text("Production and treatment power")');
    t.equal(await page.textContent('#nav a[href="#/alerts"]'), 'Alert queue');
    t.ok(await page.isVisible('.u-legend :text("1号窑炉 (Production)")'), 'the chart legend is English too');
    await page.reload();
    await page.waitForSelector('h2:has-text("Facilities")');
    t.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  });
}
