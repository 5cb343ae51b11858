// Shared set-up for the collector tests: a registry with real gateways and passwords, an
// in-process collector on free ports and a temporary SQLite file, and mqtt.js clients
// playing the gateways (the agent has its own end-to-end test).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import type { Test } from 'tap';
import { decodePayload, encodeBatch, encodePayload, topicFor, type Ack, type Enterprise, type Reading } from '../../protocol/index.js';
import { createLogger } from '../../lib/logger.js';
import { hashPassword } from '../../collector/broker/secrets.js';
import { startCollector, type CollectorOptions, type RunningCollector } from '../../collector/index.js';
import { SqliteStore } from '../../collector/store/sqlite/sqlite-store.js';

export const PASSWORD = 'correct horse battery staple';

export function enterprise(id: string, gatewayId: string): Enterprise {
  return {
    id,
    name: `Enterprise ${id}`,
    gateway: { id: gatewayId, pollIntervalS: 15, buses: [{ id: 'bus1', kind: 'tcp', host: '127.0.0.1', port: 5020 }] },
    facilities: [
      { id: `${id}-kiln`, name: 'Kiln', kind: 'production' },
      { id: `${id}-dust`, name: 'Dust collector', kind: 'treatment', serves: [`${id}-kiln`] },
    ],
    meters: [
      { id: 'm1', facility: `${id}-kiln`, bus: 'bus1', unit: 1, profile: 'dtsu666' },
      { id: 'm2', facility: `${id}-dust`, bus: 'bus1', unit: 2, profile: 'dtsu666' },
    ],
  };
}

export function tempDir(): { dir: string; db: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-collector-'));
  return { dir, db: join(dir, 'collector.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Registers enterprises `a` (gateway gw-a) and `b` (gw-b), each with PASSWORD. */
export function seedRegistry(db: string): void {
  const store = new SqliteStore(db);
  for (const [id, gw] of [['a', 'gw-a'], ['b', 'gw-b']] as const) {
    store.importEnterprise(enterprise(id, gw), Date.now());
    store.setGatewayPassword(gw, hashPassword(PASSWORD));
  }
  store.close();
}

export async function startTestCollector(db: string, extra: Partial<CollectorOptions> = {}): Promise<RunningCollector> {
  return startCollector({ db, host: '127.0.0.1', mqttPort: 0, httpPort: 0, log: createLogger('collector-test', 'silent'), ...extra });
}

/**
 * A collector on a seeded registry (gw-a, gw-b; `seed` fills the file), with `gateways` already connected;
 * everything is stopped and removed when the test ends.
 */
export async function seededCollector(
  t: Test,
  gateways: string[] = [],
  extra: Partial<CollectorOptions> = {},
  seed: (db: string) => void = seedRegistry,
): Promise<{ collector: RunningCollector; clients: MqttClient[] }> {
  const { db, cleanup } = tempDir();
  seed(db);
  const collector = await startTestCollector(db, extra);
  const clients = await Promise.all(gateways.map((id) => connectGateway(collector.mqttUrl, id)));
  t.teardown(async () => {
    for (const client of clients) client.end(true);
    await collector.stop();
    cleanup();
  });
  return { collector, clients };
}

/** Whether an ack payload covers every sequence number from..to. */
export function ackCovers(payload: Buffer, from: bigint, to: bigint): boolean {
  const decoded = decodePayload(payload);
  return decoded.ok && (decoded.value as Ack).ranges.some(([a, b]) => BigInt(a) <= from && BigInt(b) >= to);
}

export async function connectGateway(url: string, gatewayId: string, password = PASSWORD, extra: mqtt.IClientOptions = {}): Promise<MqttClient> {
  return mqtt.connectAsync(url, { protocolVersion: 4, clientId: gatewayId, username: gatewayId, password, reconnectPeriod: 0, ...extra });
}

/** `count` readings of meters m1/m2 from `firstSeq`, one every 15 s per meter from `t0`. */
export function readings(firstSeq: bigint, count: number, t0: number): Reading[] {
  return Array.from({ length: count }, (_, i) => ({
    seq: firstSeq + BigInt(i),
    meter: i % 2 === 0 ? 'm1' : 'm2',
    t: t0 + Math.floor(i / 2) * 15_000,
    values: { u1: 230.5, i1: 10.2, p: 5000 + i, pf: 0.95, f: 50, ei: 1000 + i * 0.01 },
  }));
}

export function batchPayload(gatewayId: string, rows: Reading[]): Buffer {
  return encodePayload(encodeBatch(gatewayId, rows));
}

/** Resolves with the first message on `topic` that satisfies `accept`, or rejects after `timeoutMs`. */
export function nextMessage(client: MqttClient, topic: string, accept: (payload: Buffer) => boolean = () => true, timeoutMs = 10_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('message', onMessage);
      reject(new Error(`no matching message on ${topic} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (t: string, payload: Buffer) => {
      if (t !== topic || !accept(payload)) return;
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve(payload);
    };
    client.on('message', onMessage);
  });
}

/** Polls `check` until it returns true (bounded): for state only visible through the store or API. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Publishes readings as one batch and resolves once the collector acked all of them. */
export async function publishAcked(client: MqttClient, gatewayId: string, rows: Reading[]): Promise<void> {
  const first = rows.reduce((a, r) => (r.seq < a ? r.seq : a), rows[0]!.seq);
  const last = rows.reduce((a, r) => (r.seq > a ? r.seq : a), rows[0]!.seq);
  await client.subscribeAsync(topicFor(gatewayId, 'ack'), { qos: 1 });
  const acked = nextMessage(client, topicFor(gatewayId, 'ack'), (p) => ackCovers(p, first, last));
  await client.publishAsync(topicFor(gatewayId, 'data'), batchPayload(gatewayId, rows), { qos: 1 });
  await acked;
}

/** `fetch` against the API with a bearer token: status, body text and content type. */
export function apiClient(base: string, token: string) {
  return async (method: string, path: string, body?: unknown): Promise<{ status: number; text: string; type: string | null; headers: Headers; json(): any }> => {
    const response = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, text, type: response.headers.get('content-type'), headers: response.headers, json: () => JSON.parse(text) };
  };
}

/** Counters in kilnAndDust rise 1 kWh per hour from here whatever the power: never backwards between batches. */
const COUNTER_EPOCH = Date.UTC(2026, 0, 1);

/**
 * Readings of meters m1 (the kiln) and m2 (its dust collector) every 15 s over [from, to):
 * the kiln draws about `kilnW`, the dust collector about `dustW` (a few watts of jitter, so
 * a loaded meter never looks frozen to meter-integrity).
 */
export function kilnAndDust(firstSeq: bigint, from: number, to: number, kilnW: number, dustW: number): Reading[] {
  const rows: Reading[] = [];
  let seq = firstSeq;
  for (let t = from, i = 0; t < to; t += 15_000, i++) {
    const ei = (t - COUNTER_EPOCH) / 3_600_000;
    rows.push({ seq: seq++, meter: 'm1', t, values: { p: kilnW ? kilnW + (i % 5) : 0, ei } });
    rows.push({ seq: seq++, meter: 'm2', t, values: { p: dustW ? dustW + (i % 5) : 0, ei } });
  }
  return rows;
}

/**
 * Like seedRegistry, with thresholds set so states need no learning: the kiln is off below
 * 1 kW and running above 10 kW, its dust collector off below 500 W and running above 2 kW.
 * `timeZone` goes into each enterprise (the models' local days).
 */
export function seedWithThresholds(db: string, timeZone?: string): void {
  const store = new SqliteStore(db);
  for (const [id, gw] of [['a', 'gw-a'], ['b', 'gw-b']] as const) {
    const site = enterprise(id, gw);
    site.facilities[0]!.thresholds = { offBelowW: 1_000, runningAboveW: 10_000 };
    site.facilities[1]!.thresholds = { offBelowW: 500, runningAboveW: 2_000 };
    store.importEnterprise(timeZone ? ({ ...site, timeZone } as Enterprise) : site, Date.now());
    store.setGatewayPassword(gw, hashPassword(PASSWORD));
  }
  store.close();
}
