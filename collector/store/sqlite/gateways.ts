// Gateways: their record, credentials, one-time enrolment tokens, and what they last told
// the collector (state, health, clock offset, gap markers, config acks).
import type { Database } from 'better-sqlite3';
import type { ConfigAck, Gap, Health, State } from '../../../protocol/index.js';
import { collectorError } from '../../errors.js';
import type { GatewayRecord, GatewayStatus } from '../store.js';
import { DEFAULT_POLL_INTERVAL_S } from './registry.js';

interface GatewayRow {
  id: string;
  enterprise_id: string | null;
  poll_interval_s: number;
  buses: string;
  password_hash: string | null;
  created_at: number;
}

interface StatusRow {
  gateway_id: string;
  online: number | null;
  state: string | null;
  state_at: number | null;
  health: string | null;
  health_at: number | null;
  clock_offset_ms: number | null;
  last_seen_at: number | null;
  ack: string | null;
  ack_at: number | null;
  last_gap: string | null;
  gap_at: number | null;
  config_version: number | null;
}

export class GatewayTables {
  constructor(
    private readonly db: Database,
    private readonly changed: () => void,
  ) {}

  create(id: string, enterpriseId: string | null, now: number): void {
    if (this.db.prepare('SELECT 1 FROM gateways WHERE id = ?').get(id)) {
      throw collectorError('TANDEM_COLLECTOR_CONFLICT', `id: gateway '${id}' already exists`);
    }
    if (enterpriseId !== null && !this.db.prepare('SELECT 1 FROM enterprises WHERE id = ?').get(enterpriseId)) {
      throw collectorError('TANDEM_COLLECTOR_NOT_FOUND', `enterpriseId: no enterprise '${enterpriseId}'`);
    }
    this.db.prepare('INSERT INTO gateways (id, enterprise_id, poll_interval_s, created_at) VALUES (?, ?, ?, ?)').run(id, enterpriseId, DEFAULT_POLL_INTERVAL_S, now);
    this.changed();
  }

  get(id: string): GatewayRecord | null {
    const row = this.db.prepare('SELECT * FROM gateways WHERE id = ?').get(id) as GatewayRow | undefined;
    return row ? toRecord(row) : null;
  }

  all(): GatewayRecord[] {
    return (this.db.prepare('SELECT * FROM gateways ORDER BY id').all() as GatewayRow[]).map(toRecord);
  }

  setPassword(id: string, hash: string | null): void {
    if (this.db.prepare('UPDATE gateways SET password_hash = ? WHERE id = ?').run(hash, id).changes === 0) {
      throw collectorError('TANDEM_COLLECTOR_NOT_FOUND', `no gateway '${id}'`);
    }
  }

  passwordHash(id: string): string | null {
    return (this.db.prepare('SELECT password_hash FROM gateways WHERE id = ?').get(id) as { password_hash: string | null } | undefined)?.password_hash ?? null;
  }

  setEnrolToken(id: string, tokenHash: string, expiresAt: number): void {
    if (this.db.prepare('UPDATE gateways SET enrol_token_hash = ?, enrol_expires_at = ? WHERE id = ?').run(tokenHash, expiresAt, id).changes === 0) {
      throw collectorError('TANDEM_COLLECTOR_NOT_FOUND', `no gateway '${id}'`);
    }
  }

  takeEnrolToken(tokenHash: string, now: number): string | null {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT id, enrol_expires_at FROM gateways WHERE enrol_token_hash = ?').get(tokenHash) as
        | { id: string; enrol_expires_at: number }
        | undefined;
      if (!row) return null;
      this.db.prepare('UPDATE gateways SET enrol_token_hash = NULL, enrol_expires_at = NULL WHERE id = ?').run(row.id);
      return row.enrol_expires_at > now ? row.id : null;
    })();
  }

  recordState(id: string, state: State, at: number): void {
    this.ensureStatus(id);
    this.db.prepare('UPDATE gateway_status SET online = ?, state = ?, state_at = ?, last_seen_at = ? WHERE gateway_id = ?').run(state.online ? 1 : 0, JSON.stringify(state), at, at, id);
  }

  recordHealth(id: string, health: Health, at: number): void {
    this.ensureStatus(id);
    this.db
      .prepare('UPDATE gateway_status SET health = ?, health_at = ?, clock_offset_ms = ?, last_seen_at = ? WHERE gateway_id = ?')
      .run(JSON.stringify(health), at, health.t - at, at, id);
  }

  /** True when the gap is new; a resent one changes nothing but the time last seen. */
  recordGap(id: string, gap: Gap, at: number): boolean {
    return this.db.transaction(() => {
      this.ensureStatus(id);
      const inserted = this.db
        .prepare('INSERT OR IGNORE INTO gaps (gateway_id, from_seq, to_seq, count, reason, oldest_t, newest_t, t, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(id, BigInt(gap.from), BigInt(gap.to), gap.count, gap.reason, gap.oldestT ?? null, gap.newestT ?? null, gap.t, at).changes > 0;
      if (inserted) this.db.prepare('UPDATE gateway_status SET last_gap = ?, gap_at = ?, last_seen_at = ? WHERE gateway_id = ?').run(JSON.stringify(gap), at, at, id);
      else this.db.prepare('UPDATE gateway_status SET last_seen_at = ? WHERE gateway_id = ?').run(at, id);
      return inserted;
    })();
  }

  recordConfigAck(id: string, ack: ConfigAck, at: number): void {
    this.ensureStatus(id);
    this.db
      .prepare('INSERT INTO config_acks (gateway_id, version, status, running, errors, t, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, ack.version, ack.status, ack.running, JSON.stringify(ack.errors), ack.t, at);
    this.db.prepare('UPDATE gateway_status SET ack = ?, ack_at = ?, last_seen_at = ? WHERE gateway_id = ?').run(JSON.stringify(ack), at, at, id);
  }

  status(id: string): GatewayStatus | null {
    const row = this.db.prepare(`${STATUS_SELECT} WHERE g.id = ?`).get(id) as StatusRow | undefined;
    return row ? toStatus(row) : null;
  }

  statuses(): GatewayStatus[] {
    return (this.db.prepare(`${STATUS_SELECT} ORDER BY g.id`).all() as StatusRow[]).map(toStatus);
  }

  private ensureStatus(id: string): void {
    this.db.prepare('INSERT OR IGNORE INTO gateway_status (gateway_id) VALUES (?)').run(id);
  }
}

const STATUS_SELECT = `SELECT g.id AS gateway_id, s.online, s.state, s.state_at, s.health, s.health_at, s.clock_offset_ms, s.last_seen_at,
  s.ack, s.ack_at, s.last_gap, s.gap_at, (SELECT max(version) FROM config_versions c WHERE c.gateway_id = g.id) AS config_version
  FROM gateways g LEFT JOIN gateway_status s ON s.gateway_id = g.id`;

function toRecord(row: GatewayRow): GatewayRecord {
  return {
    id: row.id,
    enterpriseId: row.enterprise_id,
    pollIntervalS: row.poll_interval_s,
    buses: JSON.parse(row.buses),
    hasPassword: row.password_hash !== null,
    createdAt: row.created_at,
  };
}

function toStatus(row: StatusRow): GatewayStatus {
  return {
    id: row.gateway_id,
    online: row.online === null ? null : row.online === 1,
    stateAt: row.state_at,
    state: row.state ? JSON.parse(row.state) : null,
    health: row.health ? JSON.parse(row.health) : null,
    healthAt: row.health_at,
    clockOffsetMs: row.clock_offset_ms,
    lastSeenAt: row.last_seen_at,
    configVersion: row.config_version,
    ack: row.ack ? { ...JSON.parse(row.ack), receivedAt: row.ack_at } : null,
    lastGap: row.last_gap ? { ...JSON.parse(row.last_gap), receivedAt: row.gap_at } : null,
  };
}
