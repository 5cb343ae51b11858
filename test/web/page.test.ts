// The operator's page in a real headless Chromium against a real collector fed over MQTT:
// log in, the overview, an enterprise's two curves drawn with data, an alert taken through
// its workflow, the language switch. Screenshots land in test/web/screenshots/.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SITES } from './site.js';
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
    await page.click('form.login button[type=submit]');
    await page.waitForSelector('.view-overview table.grid');
    for (const site of SITES) t.ok(await page.isVisible(`tr[data-enterprise="${site.id}"]`), `${site.id} listed`);
    t.equal(await page.textContent(`tr[data-enterprise="${SITES[2]!.id}"] .badge`), '离线', 'a gateway that never connected is offline');
    t.equal(await page.textContent(`tr[data-enterprise="${SITES[1]!.id}"] .badge`), '同步运行', 'a plant with fresh data and no alert runs in tandem');
    t.equal(await page.evaluate(() => localStorage.getItem('tandem.token')), stand.token, 'the token is kept');
    await page.screenshot({ path: join(SCREENSHOTS, 'overview.png') });
  });

  t.test('web page – an enterprise shows both curves drawn with data', async (t) => {
    await page.click(`tr[data-enterprise="${SITES[0]!.id}"] a`);
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
    t.same(drawn.labels, ['1号窑炉 (产污设施)', '1号除尘风机 (治污设施)'], 'production and treatment curves');
    t.ok(drawn.counts.every((n) => n > 600), `both curves have a day of points (2-min buckets): ${drawn.counts.join(', ')}`);
    t.ok(drawn.painted > 10_000, `the canvas is painted (${drawn.painted} pixels)`);
    await page.screenshot({ path: join(SCREENSHOTS, 'enterprise.png'), fullPage: true });
  });

  t.test('web page – gateways show online state and outbox; orders and notices are entered and listed', async (t) => {
    await page.click('#nav a[href="#/gateways"]');
    await page.waitForSelector('.view-gateways table.grid');
    t.equal(await page.textContent(`tr[data-gateway="${SITES[0]!.gatewayId}"] .badge`), '在线');
    t.equal(await page.textContent(`tr[data-gateway="${SITES[2]!.gatewayId}"] .badge`), '从未连接');
    await page.click('#nav a[href="#/orders"]');
    await page.waitForSelector('#order-form');
    await page.selectOption('#order-form select[name=enterpriseIds]', [SITES[1]!.id]);
    await page.fill('#order-form input[name=from]', '2026-01-10T08:00');
    await page.fill('#order-form input[name=to]', '2026-01-10T06:00');
    await page.click('#order-form button[type=submit]');
    await page.waitForSelector('#banner:has-text("结束时间必须晚于开始时间")');
    await page.fill('#order-form input[name=to]', '2026-01-12T20:00');
    await page.click('#order-form button[type=submit]');
    await page.waitForSelector('#flash');
    t.match(await page.textContent('.view-orders table.grid'), SITES[1]!.name, 'the order is listed');
    await page.fill('#notice-form input[name=reason]', '年度检修');
    await page.click('#notice-form button[type=submit]');
    await page.waitForSelector('td:has-text("年度检修")');
    t.same((await (await fetch(`${stand.pageUrl}/api/v1/notices`, { headers: { authorization: `Bearer ${stand.token}` } })).json()).notices.map((n: { reason: string }) => n.reason), ['年度检修'], 'stored');
  });

  t.test('web page – the language switch shows English labels and is remembered', async (t) => {
    await page.goto(`${stand.pageUrl}/#/enterprise/${SITES[0]!.id}`);
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
