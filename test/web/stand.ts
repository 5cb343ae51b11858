// A collector with the page, three registered enterprises and a day of readings that
// arrived the real way: mqtt.js clients play the gateways and publish protocol batches,
// and each batch counts as fed only when the collector's application ack covers it.
import http from 'node:http';
import type { MqttClient } from 'mqtt';
import { decodePayload, encodePayload, topicFor } from '../../protocol/index.js';
import { hashPassword } from '../../collector/broker/secrets.js';
import type { RunningCollector } from '../../collector/index.js';
import { createApiToken } from '../../collector/http/auth.js';
import { orderRoutes } from '../../collector/http/routes/orders.js';
import { viewRoutes } from '../../collector/http/routes/views.js';
import { serveWeb } from '../../collector/http/routes/web.js';
import { batchPayload, connectGateway, nextMessage, PASSWORD, startTestCollector, tempDir } from '../collector/fixtures.js';
import { DAY_MINUTES, enterpriseOf, plantReadings, SITES, type Violation } from './site.js';

/** Where the violation sits in the steel plant's day (minutes from the day's start). */
export const VIOLATION: Violation = { fromMinute: 19 * 60, toMinute: 19 * 60 + 45 };

export interface Stand {
  /** Where the browser opens the page. */
  pageUrl: string;
  token: string;
  collector: RunningCollector;
  stop(): Promise<void>;
}

export async function startStand(): Promise<Stand> {
  const temp = tempDir();
  const collector = await startTestCollector(temp.db, { routes: [...viewRoutes, ...orderRoutes] });
  const store = collector.store;
  const now = Date.now();
  for (const site of SITES) {
    await store.importEnterprise(enterpriseOf(site), now);
    await store.setGatewayPassword(site.gatewayId, hashPassword(PASSWORD));
  }
  const token = await createApiToken(store, 'admin', 'browser test', now);
  const gateways: MqttClient[] = [];
  // The paint shop's gateway never connects: the overview shows it offline.
  for (const site of SITES.slice(0, 2)) {
    const client = await connectGateway(collector.mqttUrl, site.gatewayId);
    gateways.push(client);
    await client.subscribeAsync(topicFor(site.gatewayId, 'ack'), { qos: 1 });
    await client.publishAsync(topicFor(site.gatewayId, 'state'), encodePayload({ v: 1, online: true, t: now }), { qos: 1, retain: true });
    const readings = plantReadings(now, DAY_MINUTES, 1n, site === SITES[0] ? VIOLATION : undefined);
    const lastSeq = readings.at(-1)!.seq.toString();
    const acked = nextMessage(client, topicFor(site.gatewayId, 'ack'), (payload) => JSON.stringify(decodePayload(payload)).includes(lastSeq));
    await client.publishAsync(topicFor(site.gatewayId, 'data'), batchPayload(site.gatewayId, readings), { qos: 1 });
    await acked;
  }
  const page = await startPageServer(collector.httpUrl);
  return {
    pageUrl: page.url,
    token,
    collector,
    async stop() {
      await page.close();
      await Promise.all(gateways.map((g) => g.endAsync()));
      await collector.stop();
      temp.cleanup();
    },
  };
}

/**
 * The page and the API on one origin: serveWeb answers the page's files, everything else
 * goes to the collector's API unchanged. (Stands in for mounting serveWeb in the
 * collector's HTTP server.)
 */
async function startPageServer(apiUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const api = new URL(apiUrl);
  const server = http.createServer((req, res) => {
    if (serveWeb(req, res)) return;
    const upstream = http.request({ host: api.hostname, port: api.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (error) => res.writeHead(502).end(String(error)));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
