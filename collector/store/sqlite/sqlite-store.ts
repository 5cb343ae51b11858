// The Store on one SQLite file (better-sqlite3): WAL so readers (API, models) never block
// the ingest writer, synchronous=NORMAL so a commit costs no fsync yet survives a process
// crash (only an OS crash can lose the last commits, which the gateways then resend).
import Database from 'better-sqlite3';
import type { Config, ConfigAck, Enterprise, Gap, Health, State } from '../../../protocol/index.js';
import type { AlertEvent, Notice, Order } from '../../models/contract.js';
import type { Params } from '../../models/model.js';
import { collectorError } from '../../errors.js';
import type { AlertFilter, AlertWorkflowPatch, FacilityEdit, IncomingReading, MeterRecord, ModelParamScope, QuarantineEntry, RiskScore, Store, TokenRole, WriteResult } from '../store.js';
import { AlertTables } from './alerts.js';
import { ModelParamTables } from './model-params.js';
import { RankingTables } from './rankings.js';
import { WebhookTables } from './webhooks.js';
import type { Delivery, WebhookSubscription } from '../../alerts/webhooks.js';
import { GatewayTables } from './gateways.js';
import { MeterKeys } from './meter-keys.js';
import { OperatorTables } from './operator-tables.js';
import { QuarantineTable } from './quarantine.js';
import { ReadingTables } from './readings.js';
import { RegistryTables } from './registry.js';
import { migrate } from './schema.js';

/** How long a writer waits for a lock held by another connection (ms). */
const BUSY_TIMEOUT_MS = 5000;
/** Page cache (KiB): the readings index stays in memory while a month of backlog streams in. */
const CACHE_KIB = 64 * 1024;
/** Checkpoint the WAL every this many pages (~40 MB) instead of SQLite's 1000: fewer stalls under ingest. */
const WAL_CHECKPOINT_PAGES = 10_000;

export class SqliteStore implements Store {
  readonly db: Database.Database;
  private revision = 0;
  private dataVersion = -1;
  private readonly keys: MeterKeys;
  private readonly readingTables: ReadingTables;
  private readonly quarantineTable: QuarantineTable;
  private readonly registry: RegistryTables;
  private readonly gatewayTables: GatewayTables;
  private readonly operator: OperatorTables;
  private readonly alertTables: AlertTables;
  private readonly webhookTables: WebhookTables;
  private readonly rankingTables: RankingTables;
  private readonly modelParamTables: ModelParamTables;
  private readonly writeTransaction: (readings: IncomingReading[], quarantine: QuarantineEntry[]) => WriteResult;

  /** Opens (creating and upgrading as needed) the database at `path`. */
  constructor(path: string) {
    try {
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      this.db.pragma(`cache_size = -${CACHE_KIB}`);
      this.db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
      migrate(this.db);
    } catch (error) {
      throw collectorError('TANDEM_COLLECTOR_DB_OPEN', `cannot open database '${path}': ${(error as Error).message}`);
    }
    const changed = () => {
      this.revision++;
      this.keys.invalidate();
    };
    this.keys = new MeterKeys(this.db);
    this.readingTables = new ReadingTables(this.db, this.keys);
    this.quarantineTable = new QuarantineTable(this.db);
    this.registry = new RegistryTables(this.db, changed);
    this.gatewayTables = new GatewayTables(this.db, changed);
    this.operator = new OperatorTables(this.db, changed);
    this.alertTables = new AlertTables(this.db);
    this.webhookTables = new WebhookTables(this.db);
    this.rankingTables = new RankingTables(this.db);
    this.modelParamTables = new ModelParamTables(this.db, changed);
    this.writeTransaction = this.db.transaction((readings: IncomingReading[], quarantine: QuarantineEntry[]) => {
      for (const entry of quarantine) this.quarantineTable.add(entry);
      return this.readingTables.write(readings);
    });
  }

  write(readings: IncomingReading[], quarantine: QuarantineEntry[]): WriteResult {
    return this.writeTransaction(readings, quarantine);
  }
  readings(gatewayId: string, meter: string, fromMs: number, toMs: number, limit: number) {
    return this.readingTables.readings(gatewayId, meter, fromMs, toMs, limit);
  }
  minutes(facilityId: string, fromMs: number, toMs: number) {
    return this.readingTables.minutes(facilityId, fromMs, toMs);
  }
  facilityReadings(facilities: string[], fromMs: number, toMs: number) {
    return this.readingTables.facilityReadings(facilities, fromMs, toMs);
  }
  firstMinute(facilityId: string) {
    return this.readingTables.firstMinute(facilityId);
  }
  readingCount() {
    return this.readingTables.total();
  }
  pruneReadings(beforeMs: number) {
    return this.readingTables.pruneBefore(beforeMs);
  }

  quarantine(limit: number, beforeId?: number) {
    return this.quarantineTable.list(limit, beforeId);
  }
  quarantineCount() {
    return this.quarantineTable.count();
  }

  importEnterprise(enterprise: Enterprise, now: number) {
    this.registry.importEnterprise(enterprise, now);
  }
  deleteEnterprise(id: string) {
    return this.registry.deleteEnterprise(id);
  }
  enterprise(id: string) {
    return this.registry.enterprise(id);
  }
  upsertFacility(facility: FacilityEdit) {
    this.registry.upsertFacility(facility);
  }
  upsertMeter(meter: MeterRecord) {
    this.registry.upsertMeter(meter);
  }
  deleteMeter(gatewayId: string, meterId: string) {
    return this.registry.deleteMeter(gatewayId, meterId);
  }
  meters(gatewayId?: string) {
    return this.registry.meters(gatewayId);
  }
  meterDirectory() {
    return this.keys.directory();
  }
  /** Also notices commits by other processes (the CLI editing the registry) via PRAGMA data_version. */
  registryRevision() {
    const dataVersion = this.db.pragma('data_version', { simple: true }) as number;
    if (dataVersion !== this.dataVersion) {
      this.dataVersion = dataVersion;
      this.revision++;
      this.keys.invalidate();
    }
    return this.revision;
  }
  facilityInfos() {
    return this.registry.facilityInfos();
  }
  enterpriseInfos() {
    return this.registry.enterpriseInfos();
  }

  createGateway(id: string, enterpriseId: string | null, now: number) {
    this.gatewayTables.create(id, enterpriseId, now);
  }
  gateway(id: string) {
    return this.gatewayTables.get(id);
  }
  gateways() {
    return this.gatewayTables.all();
  }
  setGatewayPassword(id: string, passwordHash: string | null) {
    this.gatewayTables.setPassword(id, passwordHash);
  }
  gatewayPasswordHash(id: string) {
    return this.gatewayTables.passwordHash(id);
  }
  setEnrolToken(id: string, tokenHash: string, expiresAt: number) {
    this.gatewayTables.setEnrolToken(id, tokenHash, expiresAt);
  }
  takeEnrolToken(tokenHash: string, now: number) {
    return this.gatewayTables.takeEnrolToken(tokenHash, now);
  }
  recordState(gatewayId: string, state: State, at: number) {
    this.gatewayTables.recordState(gatewayId, state, at);
  }
  recordHealth(gatewayId: string, health: Health, at: number) {
    this.gatewayTables.recordHealth(gatewayId, health, at);
  }
  recordGap(gatewayId: string, gap: Gap, at: number) {
    return this.gatewayTables.recordGap(gatewayId, gap, at);
  }
  recordConfigAck(gatewayId: string, ack: ConfigAck, at: number) {
    this.gatewayTables.recordConfigAck(gatewayId, ack, at);
  }
  gatewayStatus(id: string) {
    return this.gatewayTables.status(id);
  }
  gatewayStatuses() {
    return this.gatewayTables.statuses();
  }

  latestConfig(gatewayId: string) {
    return this.operator.latestConfig(gatewayId);
  }
  addConfigVersion(gatewayId: string, config: Config, hash: string, now: number) {
    this.operator.addConfigVersion(gatewayId, config, hash, now);
  }
  addApiToken(tokenHash: string, role: TokenRole, name: string, now: number) {
    this.operator.addApiToken(tokenHash, role, name, now);
  }
  apiTokenRole(tokenHash: string) {
    return this.operator.apiTokenRole(tokenHash);
  }
  upsertOrder(order: Order) {
    this.operator.upsertOrder(order);
  }
  orders() {
    return this.operator.orders();
  }
  upsertNotice(notice: Notice) {
    this.operator.upsertNotice(notice);
  }
  notices() {
    return this.operator.notices();
  }

  upsertAlert(event: AlertEvent, extra: { late: boolean; deadlineAt: number | null }, now: number) {
    return this.alertTables.upsert(event, extra, now);
  }
  alert(id: number) {
    return this.alertTables.get(id);
  }
  alerts(filter: AlertFilter) {
    return this.alertTables.list(filter);
  }
  updateAlert(id: number, patch: AlertWorkflowPatch, now: number) {
    return this.alertTables.update(id, patch, now);
  }

  modelParams(scope: ModelParamScope, id: string, model: string) {
    return this.modelParamTables.get(scope, id, model);
  }
  setModelParams(scope: ModelParamScope, id: string, model: string, params: Params, now: number) {
    this.modelParamTables.set(scope, id, model, params, now);
  }
  deleteModelParams(scope: ModelParamScope, id: string, model: string) {
    return this.modelParamTables.delete(scope, id, model);
  }
  modelConfig() {
    return this.modelParamTables.config();
  }

  upsertRiskScore(score: RiskScore) {
    this.rankingTables.upsert(score);
  }
  deleteRiskScore(date: string, enterpriseId: string) {
    return this.rankingTables.remove(date, enterpriseId);
  }
  riskScores(date: string | null) {
    return this.rankingTables.list(date);
  }

  webhookSubscriptions() {
    return this.webhookTables.subscriptions();
  }
  upsertWebhookSubscription(subscription: WebhookSubscription, now: number) {
    this.webhookTables.upsertSubscription(subscription, now);
  }
  deleteWebhookSubscription(id: string) {
    return this.webhookTables.deleteSubscription(id);
  }
  addDelivery(delivery: Delivery) {
    this.webhookTables.add(delivery);
  }
  dueDeliveries(now: number, limit: number) {
    return this.webhookTables.due(now, limit);
  }
  updateDelivery(delivery: Delivery) {
    this.webhookTables.update(delivery);
  }

  close() {
    if (this.db.open) this.db.close();
  }
}
