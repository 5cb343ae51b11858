// SQLite schema as an ordered list of migrations. PRAGMA user_version holds how many have
// run, so opening an older database upgrades it in place, each step in its own transaction.
import type { Database } from 'better-sqlite3';

const QUANTITY_COLUMNS = 'u1 REAL, u2 REAL, u3 REAL, i1 REAL, i2 REAL, i3 REAL, p REAL, pf REAL, f REAL, ei REAL';

export const MIGRATIONS: readonly string[] = [
  // 1: registry, readings, rollups, quarantine, gateway state, config, tokens, orders, notices, alerts
  `
  CREATE TABLE enterprises (id TEXT PRIMARY KEY, name TEXT NOT NULL, grp TEXT, extra TEXT);
  CREATE TABLE facilities (
    id TEXT PRIMARY KEY, enterprise_id TEXT NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
    name TEXT NOT NULL, kind TEXT NOT NULL, thresholds TEXT NOT NULL DEFAULT '{}', position INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE links (
    treatment_id TEXT NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,
    production_id TEXT NOT NULL, PRIMARY KEY (treatment_id, production_id));
  CREATE TABLE gateways (
    key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, enterprise_id TEXT REFERENCES enterprises(id) ON DELETE SET NULL,
    poll_interval_s INTEGER NOT NULL DEFAULT 15, buses TEXT NOT NULL DEFAULT '[]', password_hash TEXT,
    enrol_token_hash TEXT UNIQUE, enrol_expires_at INTEGER, created_at INTEGER NOT NULL);
  CREATE TABLE meters (
    key INTEGER PRIMARY KEY, gateway_id TEXT NOT NULL, id TEXT NOT NULL,
    facility_id TEXT NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,
    bus_id TEXT NOT NULL, unit INTEGER NOT NULL, profile TEXT NOT NULL, pt REAL, ct REAL, position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (gateway_id, id));
  CREATE TABLE readings (
    gw INTEGER NOT NULL, seq INTEGER NOT NULL, meter INTEGER NOT NULL, t INTEGER NOT NULL,
    ${QUANTITY_COLUMNS}, quality TEXT, flags INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (gw, seq)) WITHOUT ROWID;
  CREATE INDEX readings_meter_t ON readings (meter, t);
  CREATE TABLE meter_minutes (
    meter INTEGER NOT NULL, minute INTEGER NOT NULL, p_sum REAL NOT NULL DEFAULT 0, p_n INTEGER NOT NULL DEFAULT 0,
    e_first REAL, e_first_t INTEGER, e_last REAL, e_last_t INTEGER,
    PRIMARY KEY (meter, minute)) WITHOUT ROWID;
  CREATE TABLE quarantine (
    id INTEGER PRIMARY KEY, at INTEGER NOT NULL, topic TEXT NOT NULL, gateway_id TEXT, reason TEXT NOT NULL,
    payload BLOB NOT NULL, payload_bytes INTEGER NOT NULL);
  CREATE TABLE gateway_status (
    gateway_id TEXT PRIMARY KEY, online INTEGER, state TEXT, state_at INTEGER, health TEXT, health_at INTEGER,
    clock_offset_ms REAL, last_seen_at INTEGER, ack TEXT, ack_at INTEGER, last_gap TEXT, gap_at INTEGER);
  CREATE TABLE gaps (
    id INTEGER PRIMARY KEY, gateway_id TEXT NOT NULL, from_seq INTEGER NOT NULL, to_seq INTEGER NOT NULL,
    count INTEGER NOT NULL, reason TEXT NOT NULL, oldest_t INTEGER, newest_t INTEGER, t INTEGER NOT NULL, received_at INTEGER NOT NULL);
  CREATE TABLE config_versions (
    gateway_id TEXT NOT NULL, version INTEGER NOT NULL, config TEXT NOT NULL, hash TEXT NOT NULL, created_at INTEGER NOT NULL,
    PRIMARY KEY (gateway_id, version));
  CREATE TABLE config_acks (
    id INTEGER PRIMARY KEY, gateway_id TEXT NOT NULL, version INTEGER NOT NULL, status TEXT NOT NULL,
    running INTEGER, errors TEXT NOT NULL, t INTEGER NOT NULL, received_at INTEGER NOT NULL);
  CREATE TABLE api_tokens (hash TEXT PRIMARY KEY, role TEXT NOT NULL, name TEXT NOT NULL, created_at INTEGER NOT NULL);
  CREATE TABLE orders (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, enterprise_ids TEXT NOT NULL, from_t INTEGER NOT NULL, to_t INTEGER NOT NULL,
    limit_pct REAL);
  CREATE TABLE notices (
    id TEXT PRIMARY KEY, facility_id TEXT NOT NULL, from_t INTEGER NOT NULL, to_t INTEGER NOT NULL, reason TEXT NOT NULL);
  CREATE TABLE alerts (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, model TEXT NOT NULL, enterprise_id TEXT NOT NULL,
    facilities TEXT NOT NULL, severity TEXT NOT NULL, from_t INTEGER NOT NULL, to_t INTEGER NOT NULL,
    ended INTEGER NOT NULL DEFAULT 0, declared INTEGER NOT NULL DEFAULT 0, late INTEGER NOT NULL DEFAULT 0,
    evidence TEXT NOT NULL, message TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'open', disposition TEXT,
    opened_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, deadline_at INTEGER,
    acknowledged_by TEXT, acknowledged_at INTEGER, dispatched_by TEXT, dispatched_at INTEGER,
    closed_by TEXT, closed_at INTEGER, note TEXT);
  CREATE INDEX alerts_state ON alerts (state, opened_at);
  CREATE INDEX alerts_enterprise ON alerts (enterprise_id, from_t);
  `,
  // 2: contract.ts AlertEvent gained detectedAt and withdrawn
  `
  ALTER TABLE alerts ADD COLUMN detected_at INTEGER;
  ALTER TABLE alerts ADD COLUMN withdrawn TEXT;
  `,
  // 3: webhook subscriptions and their durable delivery queue (collector/alerts/webhooks.ts)
  `
  CREATE TABLE webhook_subscriptions (id TEXT PRIMARY KEY, url TEXT NOT NULL, secret TEXT NOT NULL, events TEXT, created_at INTEGER NOT NULL);
  CREATE TABLE webhook_deliveries (
    id TEXT NOT NULL, subscription TEXT NOT NULL, type TEXT NOT NULL, url TEXT NOT NULL, body TEXT NOT NULL,
    created_at INTEGER NOT NULL, attempts INTEGER NOT NULL, next_at INTEGER NOT NULL, last_error TEXT,
    delivered_at INTEGER, failed_at INTEGER, PRIMARY KEY (id, subscription));
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at, created_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
  `,
  // 4: readings clustered by (meter, t) so that a window of a facility's readings is a
  // sequential read (the models read them on every evaluation); (gw, seq) stays unique
  // through its own index, which is what makes a resend a no-op.
  `
  CREATE TABLE readings_by_meter (
    meter INTEGER NOT NULL, t INTEGER NOT NULL, seq INTEGER NOT NULL, gw INTEGER NOT NULL,
    ${QUANTITY_COLUMNS}, quality TEXT, flags INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (meter, t, seq)) WITHOUT ROWID;
  INSERT INTO readings_by_meter (meter, t, seq, gw, u1, u2, u3, i1, i2, i3, p, pf, f, ei, quality, flags)
    SELECT meter, t, seq, gw, u1, u2, u3, i1, i2, i3, p, pf, f, ei, quality, flags FROM readings;
  DROP TABLE readings;
  ALTER TABLE readings_by_meter RENAME TO readings;
  CREATE UNIQUE INDEX readings_gw_seq ON readings (gw, seq);
  `,
  // 5: a gap marker is recorded once per (gateway, from, to): the gateway resends it until
  // acked (protocol/README.md "Gap marker"); copies kept by earlier versions go
  `
  DELETE FROM gaps WHERE id NOT IN (SELECT MIN(id) FROM gaps GROUP BY gateway_id, from_seq, to_seq);
  CREATE UNIQUE INDEX gaps_range ON gaps (gateway_id, from_seq, to_seq);
  `,
  // 6: the daily risk ranking (collector/models/risk-ranking): a score per local day and enterprise
  `
  CREATE TABLE risk_scores (
    date TEXT NOT NULL, enterprise_id TEXT NOT NULL, score REAL NOT NULL, event TEXT NOT NULL, updated_at INTEGER NOT NULL,
    PRIMARY KEY (date, enterprise_id));
  `,
  // 7: model parameters set per enterprise or facility (DESIGN.md "The models": every
  // threshold is configurable per enterprise or facility); params is a JSON object
  `
  CREATE TABLE model_params (
    scope TEXT NOT NULL CHECK (scope IN ('enterprise', 'facility')), scope_id TEXT NOT NULL, model TEXT NOT NULL,
    params TEXT NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (scope, scope_id, model));
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Runs the migrations this database has not seen; refuses one written by a newer collector. */
export function migrate(db: Database): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > MIGRATIONS.length) {
    throw new Error(`database schema version ${from} is newer than this collector's ${MIGRATIONS.length}; upgrade Tandem`);
  }
  for (let version = from; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return { from, to: MIGRATIONS.length };
}
