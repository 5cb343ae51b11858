// Webhook delivery (collector/alerts/webhooks.ts) to a real HTTP receiver on a free port:
// at least once, retried with back-off, signed, deduplicated by event id.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'tap';
import { MemoryAlertStore } from '../../collector/alerts/alert-store.js';
import { createAlertService } from '../../collector/alerts/service.js';
import {
  backoffMs,
  EVENT_ID_HEADER,
  MAX_BACKOFF_MS,
  MemoryDeliveryQueue,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  type Send,
  verifySignature,
  WebhookDispatcher,
} from '../../collector/alerts/webhooks.js';

const SECRET = 'hotline-secret';
const T0 = Date.parse('2026-12-01T06:00:00Z');
const SEC = 1000;
const MIN = 60 * SEC;

interface Receiver {
  server: Server;
  url: string;
  /** Event id → times received; every body's signature checked. */
  seen: Map<string, number>;
  badSignatures: number;
  down: boolean;
  /** Ids to answer 500 the first time (the body was taken: a redelivery must dedupe). */
  failOnce: Set<string>;
}

async function receiver(): Promise<Receiver> {
  const r: Receiver = { server: createServer(), url: '', seen: new Map(), badSignatures: 0, down: false, failOnce: new Set() };
  r.server.on('request', async (req: IncomingMessage, res) => {
    if (r.down) {
      req.socket.destroy(); // as if the receiver were not there
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString();
    if (!verifySignature(SECRET, String(req.headers[TIMESTAMP_HEADER]), body, String(req.headers[SIGNATURE_HEADER]))) r.badSignatures++;
    const id = String(req.headers[EVENT_ID_HEADER]);
    t0Check(JSON.parse(body), id);
    r.seen.set(id, (r.seen.get(id) ?? 0) + 1);
    if (r.failOnce.delete(id)) res.writeHead(500).end();
    else res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}/tandem`;
  return r;
}

/** The body names its own id, matching the header. */
function t0Check(body: { id: string }, id: string): void {
  if (body.id !== id) throw new Error(`body id ${body.id} is not header id ${id}`);
}

function setup(url: string, send?: Send) {
  let now = T0;
  const queue = new MemoryDeliveryQueue();
  const webhooks = new WebhookDispatcher({ queue, clock: () => now, subscriptions: () => [{ id: 'hotline', url, secret: SECRET }], ...(send && { send }) });
  const alerts = createAlertService({ store: new MemoryAlertStore(), clock: () => now, onChange: (a, change) => webhooks.enqueue(a, change) });
  return { queue, webhooks, alerts, advance: (ms: number) => (now += ms), now: () => now };
}

function alertEvent(i: number) {
  return {
    model: 'treatment-off',
    key: `treatment-off:fan-${i}:x`,
    enterpriseId: 'ent-a',
    facilities: ['kiln', `fan-${i}`],
    severity: 'critical' as const,
    from: T0,
    to: T0 + 10 * MIN,
    ended: false,
    evidence: { minutes: 10 },
    declared: false,
    message: 'fan off',
  };
}

test('webhooks – a receiver down for 10 minutes gets every event afterwards, once each by its id', async (t) => {
  const r = await receiver();
  t.teardown(() => new Promise<void>((resolve) => r.server.close(() => resolve())));
  const { queue, webhooks, alerts, advance, now } = setup(r.url);
  r.down = true;
  const downUntil = T0 + 10 * MIN;
  let attemptsWhileDown = 0;
  let i = 0;
  while (now() < downUntil) {
    if (now() % (20 * SEC) === 0) await alerts.sink.upsert(alertEvent(i++), { late: false });
    const report = await webhooks.deliverDue();
    attemptsWhileDown += report.retried;
    t.equal(report.delivered, 0);
    advance(5 * SEC);
  }
  const queued = queue.deliveries.map((d) => d.id);
  t.equal(queued.length, 30, '30 alerts opened while the receiver was down');
  t.equal(r.seen.size, 0);
  t.ok(attemptsWhileDown < 30, `back-off and one try per pass kept it to ${attemptsWhileDown} attempts`);

  r.down = false;
  r.failOnce.add(queued[3]!).add(queued[17]!);
  for (let pass = 0; pass < 200 && queue.due(Infinity, 1000).length > 0; pass++) {
    await webhooks.deliverDue();
    advance(5 * SEC);
  }
  t.ok(now() - downUntil <= MAX_BACKOFF_MS + 2 * MIN, `all delivered ${(now() - downUntil) / SEC} s after it came back`);
  t.same([...r.seen.keys()].sort(), [...queued].sort(), 'every event id arrived');
  t.equal(r.seen.get(queued[3]!), 2, 'an event answered 500 was sent again with the same id');
  t.equal(r.badSignatures, 0, 'every body signed with the shared secret');
  t.ok(queue.deliveries.every((d) => d.deliveredAt !== null));
});

test('webhooks – changes are queued before sending: the workflow steps reach the receiver in order', async (t) => {
  const r = await receiver();
  t.teardown(() => new Promise<void>((resolve) => r.server.close(() => resolve())));
  const { queue, webhooks, alerts } = setup(r.url);
  await alerts.sink.upsert(alertEvent(0), { late: false });
  await alerts.step(1, 'acknowledge', { by: 'li.wei' });
  t.same(queue.deliveries.map((d) => d.type), ['alert.created', 'alert.updated']);
  t.same(await webhooks.deliverDue(), { delivered: 2, retried: 0, failed: 0 });
  const bodies = queue.deliveries.map((d) => JSON.parse(d.body));
  t.match(bodies[1], { type: 'alert.updated', alert: { id: 1, state: 'acknowledged', acknowledgedBy: 'li.wei' } });
});

test('webhooks – back-off doubles from 5 s to at most 5 min; a bad signature or body does not verify', async (t) => {
  t.same([1, 2, 3, 4, 7, 20].map(backoffMs), [5 * SEC, 10 * SEC, 20 * SEC, 40 * SEC, MAX_BACKOFF_MS, MAX_BACKOFF_MS]);
  t.notOk(verifySignature(SECRET, 1, '{"a":1}', 'sha256=00'));
  const refused: Send = () => Promise.reject(Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } }));
  const { webhooks, queue, advance } = setup('http://receiver.invalid/', refused);
  await webhooks.enqueue({ id: 1 } as never, 'alert.created');
  const d = queue.deliveries[0]!;
  t.notOk(verifySignature('other-secret', T0, d.body, 'sha256=x'));
  advance(3 * 24 * 60 * MIN);
  const report = await webhooks.deliverDue();
  t.same(report, { delivered: 0, retried: 0, failed: 1 }, 'given up after 3 days, kept with the reason');
  t.ok(queue.deliveries[0]!.failedAt !== null);
  t.equal(queue.deliveries[0]!.lastError, 'ECONNREFUSED');
});
