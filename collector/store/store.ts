// The collector's storage seam: ingest, the registry, the config service, the API and the
// models talk to this interface only, so a PostgreSQL store can replace the SQLite one
// (test/collector/store-contract.ts is the suite every implementation must pass).
// Every method may return a promise: callers always `await` (SQLite answers synchronously).
import type { Config, ConfigAck, Enterprise, Gap, Health, Reading, State, Thresholds } from '../../protocol/index.js';
import type { Delivery, WebhookSubscription } from '../alerts/webhooks.js';
import type { AlertEvent, EnterpriseInfo, FacilityInfo, FacilityMinute, FacilityReading, Notice, Order } from '../models/contract.js';
import type { ModelConfig, Params } from '../models/model.js';

export type Awaitable<T> = T | Promise<T>;

/** Bits of StoredReading.flags: stored, shown, but kept out of rollups and models. */
export const READING_FLAGS = {
  /** Read more than FUTURE_TOLERANCE_MS after the collector's clock at arrival. */
  future: 1,
  /** Read more than MAX_AGE_MS before arrival. */
  tooOld: 2,
} as const;

export interface IncomingReading {
  gatewayId: string;
  reading: Reading;
  /** READING_FLAGS bits. */
  flags: number;
}

export interface QuarantineEntry {
  at: number;
  topic: string;
  gatewayId: string | null;
  reason: string;
  payload: Uint8Array;
}

export interface QuarantineRow extends Omit<QuarantineEntry, 'payload'> {
  id: number;
  /** The payload's first QUARANTINE_PAYLOAD_BYTES, base64. */
  payloadBase64: string;
  payloadBytes: number;
}

/** Minutes of a facility whose rollup changed with a write (epoch ms, inclusive). */
export interface TouchedRange {
  facility: string;
  fromMinute: number;
  toMinute: number;
}

export interface WriteResult {
  /** Rows new to the store, flagged ones included (the rest were resends). */
  newRows: number;
  /** New unflagged readings with their facility: what the models see. */
  inserted: FacilityReading[];
  touched: TouchedRange[];
}

export interface StoredReading extends Reading {
  gatewayId: string;
  flags: number;
}

/** Where a meter's readings go: the registry's answer for (gateway, meter). */
export type MeterDirectory = Map<string, Map<string, { facility: string }>>;

export interface GatewayRecord {
  id: string;
  enterpriseId: string | null;
  pollIntervalS: number;
  /** Bus definitions without meters (messages.ts Bus minus `meters`). */
  buses: Record<string, unknown>[];
  hasPassword: boolean;
  createdAt: number;
}

export interface GatewayStatus {
  id: string;
  online: boolean | null;
  stateAt: number | null;
  state: State | null;
  health: Health | null;
  healthAt: number | null;
  /** health.t minus the collector's clock at receipt (ms); positive = gateway ahead. */
  clockOffsetMs: number | null;
  lastSeenAt: number | null;
  /** Newest configuration version published to it, and what it last acked. */
  configVersion: number | null;
  ack: (ConfigAck & { receivedAt: number }) | null;
  lastGap: (Gap & { receivedAt: number }) | null;
}

export interface ConfigVersion {
  gatewayId: string;
  version: number;
  config: Config;
  hash: string;
  createdAt: number;
}

export type TokenRole = 'read' | 'admin';

export interface FacilityEdit {
  id: string;
  enterpriseId: string;
  name: string;
  kind: FacilityInfo['kind'];
  serves: string[];
  thresholds: Thresholds;
}

export interface MeterRecord {
  id: string;
  gatewayId: string;
  facility: string;
  bus: string;
  unit: number;
  profile: string;
  pt?: number;
  ct?: number;
}

export const ALERT_STATES = ['open', 'acknowledged', 'dispatched', 'closed'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
export const ALERT_DISPOSITIONS = ['violation', 'equipment-fault', 'declared', 'false-alarm'] as const;
export type AlertDisposition = (typeof ALERT_DISPOSITIONS)[number];

/** An alert as stored: the model's event plus the workflow around it (DESIGN.md "The models"). */
export interface AlertRecord extends AlertEvent {
  id: number;
  /** Revealed by data that arrived after the condition's window (a backlog). */
  late: boolean;
  state: AlertState;
  disposition: AlertDisposition | null;
  openedAt: number;
  updatedAt: number;
  /** Dispatch deadline (epoch ms); overdue when passed before dispatch. */
  deadlineAt: number | null;
  acknowledgedBy: string | null;
  acknowledgedAt: number | null;
  dispatchedBy: string | null;
  dispatchedAt: number | null;
  closedBy: string | null;
  closedAt: number | null;
  note: string | null;
}

/** Workflow fields an operator changes; the alert logic decides which changes are allowed. */
export type AlertWorkflowPatch = Partial<
  Pick<AlertRecord, 'state' | 'disposition' | 'deadlineAt' | 'acknowledgedBy' | 'acknowledgedAt' | 'dispatchedBy' | 'dispatchedAt' | 'closedBy' | 'closedAt' | 'note'>
>;

export interface AlertFilter {
  model?: string;
  enterpriseId?: string;
  states?: AlertState[];
  /** Alerts whose event-time window overlaps [from, to). */
  from?: number;
  to?: number;
  limit?: number;
  /** Alerts with an id below this (paging, newest first). */
  beforeId?: number;
}

/** An enterprise's risk score for one local day (collector/models/risk-ranking): the model's event and its score. */
export interface RiskScore {
  /** The enterprise's local date, YYYY-MM-DD. */
  date: string;
  enterpriseId: string;
  /** 0–100, the event's evidence.score. */
  score: number;
  event: AlertEvent;
  updatedAt: number;
}

/** What model parameters apply to: an enterprise, or one facility (which beats its enterprise). */
export type ModelParamScope = 'enterprise' | 'facility';

/** One model's parameters changed from its defaults for one enterprise or facility. */
export interface ModelParamsRecord {
  scope: ModelParamScope;
  id: string;
  model: string;
  params: Params;
  updatedAt: number;
}

export interface AlertUpsert {
  record: AlertRecord;
  created: boolean;
  /** The event changed something stored (window, evidence, severity, ended, withdrawn…). */
  changed: boolean;
}

export interface Store {
  // ---- readings and rollups ----
  /**
   * One transaction: new readings, their minute rollups and the quarantine entries. Takes
   * the reading objects over: new ones come back in `inserted` tagged with their facility.
   */
  write(readings: IncomingReading[], quarantine: QuarantineEntry[]): Awaitable<WriteResult>;
  readings(gatewayId: string, meter: string, fromMs: number, toMs: number, limit: number): Awaitable<StoredReading[]>;
  /** contract.ts FacilityMinute for every minute in [fromMs, toMs) that has data. */
  minutes(facilityId: string, fromMs: number, toMs: number): Awaitable<FacilityMinute[]>;
  /** Unflagged readings of these facilities' meters in [fromMs, toMs), time-ordered (meter-integrity reads them). */
  facilityReadings(facilities: string[], fromMs: number, toMs: number): Awaitable<FacilityReading[]>;
  /** Start of the first stored minute of a facility, null before any. */
  firstMinute(facilityId: string): Awaitable<number | null>;
  readingCount(): Awaitable<number>;
  /** Retention: raw readings read before `beforeMs` are deleted; minute rollups stay. */
  pruneReadings(beforeMs: number): Awaitable<number>;

  // ---- quarantine ----
  quarantine(limit: number, beforeId?: number): Awaitable<QuarantineRow[]>;
  quarantineCount(): Awaitable<number>;

  // ---- registry ----
  importEnterprise(enterprise: Enterprise, now: number): Awaitable<void>;
  deleteEnterprise(id: string): Awaitable<boolean>;
  enterprise(id: string): Awaitable<Enterprise | null>;
  upsertFacility(facility: FacilityEdit): Awaitable<void>;
  upsertMeter(meter: MeterRecord): Awaitable<void>;
  deleteMeter(gatewayId: string, meterId: string): Awaitable<boolean>;
  meters(gatewayId?: string): Awaitable<MeterRecord[]>;
  meterDirectory(): Awaitable<MeterDirectory>;
  /** Changes whenever the registry, orders or notices do (here or in another process); callers cache derived data against it. */
  registryRevision(): Awaitable<number>;
  facilityInfos(): Awaitable<FacilityInfo[]>;
  enterpriseInfos(): Awaitable<EnterpriseInfo[]>;

  // ---- gateways, credentials, enrolment ----
  createGateway(id: string, enterpriseId: string | null, now: number): Awaitable<void>;
  gateway(id: string): Awaitable<GatewayRecord | null>;
  gateways(): Awaitable<GatewayRecord[]>;
  setGatewayPassword(id: string, passwordHash: string | null): Awaitable<void>;
  gatewayPasswordHash(id: string): Awaitable<string | null>;
  setEnrolToken(id: string, tokenHash: string, expiresAt: number): Awaitable<void>;
  /** Consumes a one-time token: the gateway id when valid and unexpired, and it can never be used again. */
  takeEnrolToken(tokenHash: string, now: number): Awaitable<string | null>;

  // ---- gateway state ----
  recordState(gatewayId: string, state: State, at: number): Awaitable<void>;
  recordHealth(gatewayId: string, health: Health, at: number): Awaitable<void>;
  /** Records a gap marker once per (gateway, from, to); true when it was new (a resend gives false). */
  recordGap(gatewayId: string, gap: Gap, at: number): Awaitable<boolean>;
  recordConfigAck(gatewayId: string, ack: ConfigAck, at: number): Awaitable<void>;
  gatewayStatus(id: string): Awaitable<GatewayStatus | null>;
  gatewayStatuses(): Awaitable<GatewayStatus[]>;

  // ---- configuration versions ----
  latestConfig(gatewayId: string): Awaitable<ConfigVersion | null>;
  addConfigVersion(gatewayId: string, config: Config, hash: string, now: number): Awaitable<void>;

  // ---- API tokens ----
  addApiToken(tokenHash: string, role: TokenRole, name: string, now: number): Awaitable<void>;
  apiTokenRole(tokenHash: string): Awaitable<TokenRole | null>;

  // ---- orders and notices (entered by operators, read by the models) ----
  upsertOrder(order: Order): Awaitable<void>;
  orders(): Awaitable<Order[]>;
  upsertNotice(notice: Notice): Awaitable<void>;
  notices(): Awaitable<Notice[]>;

  // ---- alerts (the models' events, extended by key; workflow fields kept apart) ----
  /** Inserts a new condition (state open) or extends the one with the same key. */
  upsertAlert(event: AlertEvent, extra: { late: boolean; deadlineAt: number | null }, now: number): Awaitable<AlertUpsert>;
  alert(id: number): Awaitable<AlertRecord | null>;
  alerts(filter: AlertFilter): Awaitable<AlertRecord[]>;
  updateAlert(id: number, patch: AlertWorkflowPatch, now: number): Awaitable<AlertRecord | null>;

  // ---- model parameters (DESIGN.md: every threshold is configurable per enterprise or facility) ----
  modelParams(scope: ModelParamScope, id: string, model: string): Awaitable<ModelParamsRecord | null>;
  /** Replaces that model's parameters for that enterprise or facility. */
  setModelParams(scope: ModelParamScope, id: string, model: string, params: Params, now: number): Awaitable<void>;
  /** Back to the defaults; true when there were parameters. */
  deleteModelParams(scope: ModelParamScope, id: string, model: string): Awaitable<boolean>;
  /** Every stored parameter set, as the models' engine takes them. */
  modelConfig(): Awaitable<ModelConfig>;

  // ---- risk ranking (the daily list of collector/models/risk-ranking, not alerts) ----
  /** Replaces the score of (date, enterprise). */
  upsertRiskScore(score: RiskScore): Awaitable<void>;
  /** Removes it (the model withdrew it); true when there was one. */
  deleteRiskScore(date: string, enterpriseId: string): Awaitable<boolean>;
  /** One day's scores, highest first (ties by enterprise id); `null`: the newest day with scores. */
  riskScores(date: string | null): Awaitable<RiskScore[]>;

  // ---- webhooks (subscriptions, and the durable queue of alerts/webhooks.ts DeliveryQueue) ----
  webhookSubscriptions(): Awaitable<WebhookSubscription[]>;
  upsertWebhookSubscription(subscription: WebhookSubscription, now: number): Awaitable<void>;
  deleteWebhookSubscription(id: string): Awaitable<boolean>;
  addDelivery(delivery: Delivery): Awaitable<void>;
  dueDeliveries(now: number, limit: number): Awaitable<Delivery[]>;
  updateDelivery(delivery: Delivery): Awaitable<void>;

  close(): Awaitable<void>;
}
