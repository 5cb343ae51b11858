// Shared set-up for the uplink tests: an AgentConfig for a broker URL and a temp outbox.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentConfig } from '../../agent/config/schema.js';
import { DEFAULTS } from '../../agent/config/schema.js';

export function testAgentConfig(url: string, gatewayId: string, overrides: Partial<AgentConfig['uplink']> = {}): AgentConfig {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-agent-'));
  return {
    file: join(dir, 'agent.yaml'),
    gatewayId,
    mqtt: { url },
    poll: { pollIntervalS: 15, buses: [] },
    outbox: { path: join(dir, 'outbox.db'), maxBytes: DEFAULTS.outboxMaxBytes, maxAgeDays: 30, minFreeDiskBytes: 0 },
    uplink: { backlogReadingsPerS: DEFAULTS.backlogReadingsPerS, ackTimeoutS: 2, healthIntervalS: 60, configCheckS: 5, ...overrides },
    allowWrites: false,
    logLevel: 'warn',
  };
}

/** A unique gateway id, so runs on a shared broker never meet each other's sessions. */
export function testGatewayId(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
}
