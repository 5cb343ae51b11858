// The collector as the bench runs it: a registry seeded straight into a fresh SQLite file
// (gateways with passwords, enterprises with a production and a treatment facility), then
// `tandem collector` as its own process, so its CPU and memory are its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { hashPassword } from '../../collector/broker/secrets.js';
import { SqliteStore } from '../../collector/store/sqlite/sqlite-store.js';
import type { Enterprise, Thresholds } from '../../protocol/index.js';

export const TANDEM_BIN = fileURLToPath(new URL('../../../bin/tandem.js', import.meta.url));
export const GATEWAY_PASSWORD = 'bench-password';
const START_TIMEOUT_MS = 30_000;
/** Set to a folder: every collector and agent the bench starts writes a V8 CPU profile there (read it with tools/top-frames). */
export const CPU_PROF_ENV = 'TANDEM_BENCH_CPU_PROF_DIR';

/** node flags that make a contender write its CPU profile on exit, when CPU_PROF_ENV asks. */
export function profilingArgs(): string[] {
  const dir = process.env[CPU_PROF_ENV];
  return dir ? ['--cpu-prof', '--cpu-prof-dir', dir] : [];
}

export interface SiteShape {
  gateways: number;
  /** Index of the first gateway (default 0): sites of different shapes can share one registry. */
  firstGateway?: number;
  /** Meters per gateway: the first half on the production facility, the rest on treatment. */
  metersPerGateway: number;
  pollIntervalS?: number;
  /** Buses of each gateway (meters go on the first); default one placeholder TCP bus. */
  buses?: Record<string, unknown>[];
  /** Meter profiles, cycling by meter (default dtsu666). */
  profiles?: readonly string[];
  thresholds?: { production?: Thresholds; treatment?: Thresholds };
}

export const gatewayId = (g: number) => `gw-${String(g + 1).padStart(4, '0')}`;
export const meterId = (m: number) => `m${m + 1}`;

export function benchEnterprises(shape: SiteShape): Enterprise[] {
  return Array.from({ length: shape.gateways }, (_, i) => {
    const g = i + (shape.firstGateway ?? 0);
    const id = `ent-${String(g + 1).padStart(4, '0')}`;
    const buses = shape.buses ?? [{ id: 'bus1', kind: 'tcp', host: '127.0.0.1', port: 502 }];
    const production = `${id}-kiln`;
    const treatment = `${id}-dust`;
    return {
      id,
      name: `Bench enterprise ${g + 1}`,
      gateway: { id: gatewayId(g), pollIntervalS: shape.pollIntervalS ?? 15, buses },
      facilities: [
        { id: production, name: 'Kiln', kind: 'production', ...(shape.thresholds?.production ? { thresholds: shape.thresholds.production } : {}) },
        { id: treatment, name: 'Dust collector', kind: 'treatment', serves: [production], ...(shape.thresholds?.treatment ? { thresholds: shape.thresholds.treatment } : {}) },
      ],
      meters: Array.from({ length: shape.metersPerGateway }, (_, m) => ({
        id: meterId(m),
        facility: m < shape.metersPerGateway / 2 ? production : treatment,
        bus: String(buses[0]!.id),
        unit: m + 1,
        profile: shape.profiles?.[m % shape.profiles.length] ?? 'dtsu666',
      })),
    };
  });
}

/** Event times of the readings stored in [from, to), read straight from the collector's file. */
export function storedTimes(db: string, from = 0, to = Number.MAX_SAFE_INTEGER): number[] {
  const sqlite = new Database(db, { readonly: true });
  try {
    return sqlite.prepare('SELECT t FROM readings WHERE t >= ? AND t < ? ORDER BY t').pluck().all(from, to) as number[];
  } finally {
    sqlite.close();
  }
}

export function seedDb(db: string, enterprises: Enterprise[]): void {
  const store = new SqliteStore(db);
  const hash = hashPassword(GATEWAY_PASSWORD);
  for (const e of enterprises) {
    store.importEnterprise(e, Date.now());
    store.setGatewayPassword(e.gateway.id, hash);
  }
  store.close();
}

export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), `tandem-bench-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ChildServer {
  mqttUrl: string;
  httpUrl: string;
  pid: number;
  process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Spawns a node program that prints where it listens as its first stdout line (JSON). */
export async function spawnJsonServer(args: string[]): Promise<ChildServer> {
  const child = spawn(process.execPath, [...profilingArgs(), ...args], {
    env: { ...process.env, TANDEM_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start within ${START_TIMEOUT_MS} ms: ${stderr}`)), START_TIMEOUT_MS);
    createInterface({ input: child.stdout! }).once('line', (l) => {
      clearTimeout(timer);
      resolve(l);
    });
    void exited.then(() => reject(new Error(`${args.join(' ')} exited before listening: ${stderr}`)));
  });
  const where = JSON.parse(line) as { mqttUrl: string; httpUrl?: string };
  return {
    mqttUrl: where.mqttUrl,
    httpUrl: where.httpUrl ?? '',
    pid: child.pid!,
    process: child,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** `tandem collector` on free ports over `db`, as an operator runs it: live models on unless `models: false` (--no-models). */
export function startCollectorProcess(db: string, options: { mqttPort?: number; models?: boolean } = {}): Promise<ChildServer> {
  return spawnJsonServer([
    TANDEM_BIN, 'collector', '--db', db, '--host', '127.0.0.1', '--mqtt-port', String(options.mqttPort ?? 0), '--http-port', '0', '--json',
    ...(options.models === false ? ['--no-models'] : []),
  ]);
}
