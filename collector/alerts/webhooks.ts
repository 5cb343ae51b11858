// Webhooks for new and changed alerts (issue 6), so an enforcement app or a hotline system
// can subscribe. At least once: every event is queued durably (DeliveryQueue, injected) per
// subscription before anything is sent, and retried with exponential back-off until a 2xx.
// Every attempt carries the same event id and body, so receivers dedupe by the id. The body
// is signed: X-Tandem-Signature = "sha256=" + hex HMAC-SHA256(secret, timestamp + "." + body).
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { AlertRecord } from '../store/store.js';
import type { AlertChange } from './service.js';

export const EVENT_ID_HEADER = 'x-tandem-event-id';
export const EVENT_TYPE_HEADER = 'x-tandem-event';
export const TIMESTAMP_HEADER = 'x-tandem-timestamp';
export const SIGNATURE_HEADER = 'x-tandem-signature';
/** First retry after this (ms); doubled each attempt up to MAX_BACKOFF_MS. */
export const BASE_BACKOFF_MS = 5_000;
export const MAX_BACKOFF_MS = 5 * 60_000;
/** An event still undelivered this long after it was queued is given up (kept, marked failed). */
export const DEFAULT_MAX_AGE_MS = 3 * 24 * 60 * 60_000;
/** One attempt waits this long for the receiver's answer. */
export const SEND_TIMEOUT_MS = 10_000;
const DEFAULT_BATCH = 100;

export interface WebhookSubscription {
  id: string;
  url: string;
  secret: string;
  /** Only these changes; absent: all. */
  events?: AlertChange[];
}

export interface Delivery {
  /** The event id: the same for every attempt, receivers dedupe on it. */
  id: string;
  subscription: string;
  type: AlertChange;
  url: string;
  /** The exact bytes sent on every attempt. */
  body: string;
  createdAt: number;
  attempts: number;
  nextAt: number;
  lastError: string | null;
  deliveredAt: number | null;
  /** Set when given up after the maximum age. */
  failedAt: number | null;
}

type Awaitable<T> = T | Promise<T>;

/** Where deliveries wait: durable in the collector (a SQLite table), in memory in tests. */
export interface DeliveryQueue {
  add(delivery: Delivery): Awaitable<void>;
  /** Undelivered, not given up, nextAt ≤ now, oldest first. */
  due(now: number, limit: number): Awaitable<Delivery[]>;
  update(delivery: Delivery): Awaitable<void>;
}

export class MemoryDeliveryQueue implements DeliveryQueue {
  readonly deliveries: Delivery[] = [];

  add(delivery: Delivery): void {
    this.deliveries.push({ ...delivery });
  }

  due(now: number, limit: number): Delivery[] {
    return this.deliveries
      .filter((d) => d.deliveredAt === null && d.failedAt === null && d.nextAt <= now)
      .slice(0, limit)
      .map((d) => ({ ...d }));
  }

  update(delivery: Delivery): void {
    const i = this.deliveries.findIndex((d) => d.id === delivery.id && d.subscription === delivery.subscription);
    if (i >= 0) this.deliveries[i] = { ...delivery };
  }
}

export function sign(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** For receivers: whether a request's signature matches its body (constant-time compare). */
export function verifySignature(secret: string, timestamp: string | number, body: string, signature: string): boolean {
  const expected = Buffer.from(sign(secret, Number(timestamp), body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
}

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type Send = (request: SendRequest) => Promise<{ status: number }>;

/** POST with a timeout; a refused connection or a timeout rejects. */
export const httpSend: Send = async ({ url, headers, body }) => {
  const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(SEND_TIMEOUT_MS) });
  await response.arrayBuffer();
  return { status: response.status };
};

export interface WebhookOptions {
  queue: DeliveryQueue;
  subscriptions: () => Awaitable<WebhookSubscription[]>;
  clock: () => number;
  send?: Send;
  maxAgeMs?: number;
  batch?: number;
}

export interface DeliveryReport {
  delivered: number;
  retried: number;
  failed: number;
}

export class WebhookDispatcher {
  private readonly send: Send;
  /** Per subscription: consecutive failed attempts and when to try it again. */
  private readonly health = new Map<string, { failures: number; retryAt: number }>();

  constructor(private readonly options: WebhookOptions) {
    this.send = options.send ?? httpSend;
  }

  /** Queues the change for every subscription that wants it (call from AlertService onChange). */
  async enqueue(alert: AlertRecord & { overdue?: boolean }, type: AlertChange): Promise<void> {
    const now = this.options.clock();
    for (const sub of await this.options.subscriptions()) {
      if (sub.events && !sub.events.includes(type)) continue;
      const id = randomUUID();
      const body = JSON.stringify({ id, type, at: now, alert });
      await this.options.queue.add({ id, subscription: sub.id, type, url: sub.url, body, createdAt: now, attempts: 0, nextAt: now, lastError: null, deliveredAt: null, failedAt: null });
    }
  }

  /**
   * One pass over what is due, oldest first. A receiver that fails is backed off as a whole
   * (one attempt per back-off step, not one per queued event) until it answers again.
   */
  async deliverDue(): Promise<DeliveryReport> {
    const report: DeliveryReport = { delivered: 0, retried: 0, failed: 0 };
    const now = this.options.clock();
    const subs = new Map((await this.options.subscriptions()).map((s) => [s.id, s]));
    for (const delivery of await this.options.queue.due(now, this.options.batch ?? DEFAULT_BATCH)) {
      const sub = subs.get(delivery.subscription);
      if (!sub) {
        await this.options.queue.update({ ...delivery, failedAt: now, lastError: 'subscription removed' });
        continue;
      }
      const health = this.health.get(sub.id);
      if (health && health.retryAt > now) continue;
      const error = await this.attempt(sub, delivery, now);
      const attempts = delivery.attempts + 1;
      if (error === null) {
        this.health.delete(sub.id);
        report.delivered++;
        await this.options.queue.update({ ...delivery, attempts, deliveredAt: now, lastError: null });
        continue;
      }
      const failures = (health?.failures ?? 0) + 1;
      const retryAt = now + backoffMs(failures);
      this.health.set(sub.id, { failures, retryAt });
      if (now - delivery.createdAt >= (this.options.maxAgeMs ?? DEFAULT_MAX_AGE_MS)) {
        report.failed++;
        await this.options.queue.update({ ...delivery, attempts, failedAt: now, lastError: error });
      } else {
        report.retried++;
        await this.options.queue.update({ ...delivery, attempts, nextAt: retryAt, lastError: error });
      }
    }
    return report;
  }

  /** null when the receiver took it (2xx), else why not. */
  private async attempt(sub: WebhookSubscription, delivery: Delivery, now: number): Promise<string | null> {
    const headers = {
      'content-type': 'application/json',
      [EVENT_ID_HEADER]: delivery.id,
      [EVENT_TYPE_HEADER]: delivery.type,
      [TIMESTAMP_HEADER]: String(now),
      [SIGNATURE_HEADER]: sign(sub.secret, now, delivery.body),
    };
    try {
      const { status } = await this.send({ url: delivery.url, headers, body: delivery.body });
      return status >= 200 && status < 300 ? null : `HTTP ${status}`;
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return cause ?? (error as Error).message;
    }
  }
}
