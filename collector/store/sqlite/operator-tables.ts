// What operators enter besides the registry: configuration versions, API tokens, orders
// and notices.
import type { Database } from 'better-sqlite3';
import type { Config } from '../../../protocol/index.js';
import type { Notice, Order } from '../../models/contract.js';
import type { ConfigVersion, TokenRole } from '../store.js';

export class OperatorTables {
  /** `changed` is told of order and notice writes: the models reload them with the registry. */
  constructor(
    private readonly db: Database,
    private readonly changed: () => void,
  ) {}

  latestConfig(gatewayId: string): ConfigVersion | null {
    const row = this.db.prepare('SELECT * FROM config_versions WHERE gateway_id = ? ORDER BY version DESC LIMIT 1').get(gatewayId) as
      | { gateway_id: string; version: number; config: string; hash: string; created_at: number }
      | undefined;
    return row ? { gatewayId: row.gateway_id, version: row.version, config: JSON.parse(row.config) as Config, hash: row.hash, createdAt: row.created_at } : null;
  }

  addConfigVersion(gatewayId: string, config: Config, hash: string, now: number): void {
    this.db.prepare('INSERT INTO config_versions (gateway_id, version, config, hash, created_at) VALUES (?, ?, ?, ?, ?)').run(gatewayId, config.version, JSON.stringify(config), hash, now);
  }

  addApiToken(hash: string, role: TokenRole, name: string, now: number): void {
    this.db.prepare('INSERT INTO api_tokens (hash, role, name, created_at) VALUES (?, ?, ?, ?)').run(hash, role, name, now);
  }

  apiTokenRole(hash: string): TokenRole | null {
    return (this.db.prepare('SELECT role FROM api_tokens WHERE hash = ?').get(hash) as { role: TokenRole } | undefined)?.role ?? null;
  }

  upsertOrder(o: Order): void {
    this.db
      .prepare(
        `INSERT INTO orders (id, kind, enterprise_ids, from_t, to_t, limit_pct) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, enterprise_ids = excluded.enterprise_ids, from_t = excluded.from_t,
           to_t = excluded.to_t, limit_pct = excluded.limit_pct`,
      )
      .run(o.id, o.kind, JSON.stringify(o.enterpriseIds), o.from, o.to, o.limitPct);
    this.changed();
  }

  orders(): Order[] {
    const rows = this.db.prepare('SELECT * FROM orders ORDER BY from_t, id').all() as {
      id: string;
      kind: Order['kind'];
      enterprise_ids: string;
      from_t: number;
      to_t: number;
      limit_pct: number | null;
    }[];
    return rows.map((r) => ({ id: r.id, kind: r.kind, enterpriseIds: JSON.parse(r.enterprise_ids), from: r.from_t, to: r.to_t, limitPct: r.limit_pct }));
  }

  upsertNotice(n: Notice): void {
    this.db
      .prepare(
        `INSERT INTO notices (id, facility_id, from_t, to_t, reason) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET facility_id = excluded.facility_id, from_t = excluded.from_t, to_t = excluded.to_t, reason = excluded.reason`,
      )
      .run(n.id, n.facility, n.from, n.to, n.reason);
    this.changed();
  }

  notices(): Notice[] {
    const rows = this.db.prepare('SELECT * FROM notices ORDER BY from_t, id').all() as { id: string; facility_id: string; from_t: number; to_t: number; reason: string }[];
    return rows.map((r) => ({ id: r.id, facility: r.facility_id, from: r.from_t, to: r.to_t, reason: r.reason }));
  }
}
