// Webhook subscriptions and the durable delivery queue the alert workflow's dispatcher uses
// (collector/alerts/webhooks.ts DeliveryQueue): an event survives a collector restart until
// its receiver took it.
import type { Database } from 'better-sqlite3';
import type { Delivery, WebhookSubscription } from '../../alerts/webhooks.js';

interface DeliveryRow {
  id: string;
  subscription: string;
  type: Delivery['type'];
  url: string;
  body: string;
  created_at: number;
  attempts: number;
  next_at: number;
  last_error: string | null;
  delivered_at: number | null;
  failed_at: number | null;
}

export class WebhookTables {
  constructor(private readonly db: Database) {}

  subscriptions(): WebhookSubscription[] {
    const rows = this.db.prepare('SELECT * FROM webhook_subscriptions ORDER BY created_at, id').all() as { id: string; url: string; secret: string; events: string | null }[];
    return rows.map((r) => ({ id: r.id, url: r.url, secret: r.secret, ...(r.events ? { events: JSON.parse(r.events) } : {}) }));
  }

  upsertSubscription(sub: WebhookSubscription, now: number): void {
    this.db
      .prepare(
        `INSERT INTO webhook_subscriptions (id, url, secret, events, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET url = excluded.url, secret = excluded.secret, events = excluded.events`,
      )
      .run(sub.id, sub.url, sub.secret, sub.events ? JSON.stringify(sub.events) : null, now);
  }

  deleteSubscription(id: string): boolean {
    return this.db.prepare('DELETE FROM webhook_subscriptions WHERE id = ?').run(id).changes > 0;
  }

  add(d: Delivery): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO webhook_deliveries (id, subscription, type, url, body, created_at, attempts, next_at, last_error, delivered_at, failed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(d.id, d.subscription, d.type, d.url, d.body, d.createdAt, d.attempts, d.nextAt, d.lastError, d.deliveredAt, d.failedAt);
  }

  due(now: number, limit: number): Delivery[] {
    const rows = this.db
      .prepare('SELECT * FROM webhook_deliveries WHERE delivered_at IS NULL AND failed_at IS NULL AND next_at <= ? ORDER BY created_at, rowid LIMIT ?')
      .all(now, limit) as DeliveryRow[];
    return rows.map((r) => ({
      id: r.id,
      subscription: r.subscription,
      type: r.type,
      url: r.url,
      body: r.body,
      createdAt: r.created_at,
      attempts: r.attempts,
      nextAt: r.next_at,
      lastError: r.last_error,
      deliveredAt: r.delivered_at,
      failedAt: r.failed_at,
    }));
  }

  update(d: Delivery): void {
    this.db
      .prepare('UPDATE webhook_deliveries SET attempts = ?, next_at = ?, last_error = ?, delivered_at = ?, failed_at = ? WHERE id = ? AND subscription = ?')
      .run(d.attempts, d.nextAt, d.lastError, d.deliveredAt, d.failedAt, d.id, d.subscription);
  }
}
