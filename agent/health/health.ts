// The health message (protocol Health), built from what each part reports, published every
// interval and written to the status file that `tandem agent status` reads.
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SCHEMA_VERSION, formatSeq, type Health } from '../../protocol/index.js';
import type { Logger } from '../../lib/logger.js';
import type { BusStats } from '../polling/index.js';
import type { Outbox } from '../outbox/outbox.js';
import type { UplinkStatus } from '../uplink/uplink.js';
import { AGENT_VERSION } from './versions.js';
import { writeStatusFile, type AgentStatus } from './status-file.js';

export interface HealthSources {
  startedAt: number;
  outbox: Outbox;
  outboxPath: string;
  buses(): BusStats[];
  uplink(): UplinkStatus;
  configVersion(): number | null;
}

export async function buildHealth(sources: HealthSources): Promise<Health> {
  const buses = sources.buses();
  const outbox = sources.outbox.stats();
  const now = Date.now();
  return {
    v: SCHEMA_VERSION,
    t: now,
    uptimeS: Math.round((now - sources.startedAt) / 1000),
    versions: { agent: AGENT_VERSION, protocol: SCHEMA_VERSION, node: process.version },
    configVersion: sources.configVersion(),
    meters: buses.flatMap((b) => b.meters.map((m) => ({ ...m, lastError: m.lastError?.slice(0, 200) ?? null }))),
    queueOverruns: buses.reduce((n, b) => n + b.queueOverruns, 0),
    outbox: { ...outbox, lastSeq: outbox.lastSeq === null ? null : formatSeq(outbox.lastSeq) },
    clockOffsetMs: sources.uplink().clockOffsetMs,
    rssBytes: process.memoryUsage.rss(),
    diskFreeBytes: await diskFree(dirname(sources.outboxPath)),
  };
}

async function diskFree(dir: string): Promise<number | null> {
  try {
    const fs = await statfs(dir);
    return fs.bavail * fs.bsize;
  } catch {
    return null;
  }
}

/** Publishes health every `intervalMs` (and once at start), and keeps the status file current. */
export function startHealth(sources: HealthSources, intervalMs: number, publish: (health: Health) => void, logger: Logger) {
  const beat = async () => {
    const health = await buildHealth(sources);
    publish(health);
    const status: AgentStatus = { pid: process.pid, writtenAt: health.t, uplink: sources.uplink(), buses: sources.buses().map(({ meters: _m, ...bus }) => bus), health };
    writeStatusFile(sources.outboxPath, status);
  };
  const run = () => beat().catch((error: Error) => logger.warn({ err: error.message }, 'health report failed'));
  run();
  const timer = setInterval(run, intervalMs);
  return {
    beat: run,
    stop: () => clearInterval(timer),
  };
}
