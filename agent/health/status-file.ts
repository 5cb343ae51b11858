// The running agent's status file, beside the outbox: `tandem agent status` reads it (and
// the outbox) to say what the agent is doing without talking to it.
import { readFileSync } from 'node:fs';
import type { Health } from '../../protocol/index.js';
import type { BusStats } from '../polling/index.js';
import type { UplinkStatus } from '../uplink/uplink.js';
import { writeFileAtomic } from '../config/atomic-write.js';

export interface AgentStatus {
  pid: number;
  /** epoch ms; a stale file means the agent is not running or is stuck. */
  writtenAt: number;
  uplink: UplinkStatus;
  buses: Omit<BusStats, 'meters'>[];
  health: Health;
  /** Set when the agent stopped cleanly. */
  stoppedAt?: number;
}

export function statusFilePath(outboxPath: string): string {
  return `${outboxPath}.status.json`;
}

export function writeStatusFile(outboxPath: string, status: AgentStatus): void {
  writeFileAtomic(statusFilePath(outboxPath), JSON.stringify(status, null, 2) + '\n');
}

export function readStatusFile(outboxPath: string): AgentStatus | null {
  try {
    return JSON.parse(readFileSync(statusFilePath(outboxPath), 'utf8')) as AgentStatus;
  } catch {
    return null;
  }
}
