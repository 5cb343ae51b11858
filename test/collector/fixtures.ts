// Shared set-up for the collector tests: a registry with real gateways and passwords, an
// in-process collector on free ports and a temporary SQLite file, and mqtt.js clients
// playing the gateways (the agent has its own end-to-end test).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import type { Test } from 'tap';
import { decodePayload, encodeBatch, encodePayload, type Ack, type Enterprise, type Reading } from '../../protocol/index.js';
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
 * A collector on a seeded registry (gw-a, gw-b), with `gateways` already connected;
 * everything is stopped and removed when the test ends.
 */
export async function seededCollector(t: Test, gateways: string[] = [], extra: Partial<CollectorOptions> = {}): Promise<{ collector: RunningCollector; clients: MqttClient[] }> {
  const { db, cleanup } = tempDir();
  seedRegistry(db);
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
