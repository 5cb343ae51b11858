// The agent as a real process (`node bin/tandem.js agent --config FILE`, from dist/), with
// a config file written for a test: kill it with SIGKILL or stop it with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { Bus } from '../../protocol/index.js';

/** The built CLI (dist/, compiled by `npm test`'s pretest). */
const TANDEM_BIN = fileURLToPath(new URL('../../bin/tandem.js', import.meta.url));

export interface AgentFiles {
  dir: string;
  configFile: string;
  outbox: string;
}

export function writeAgentConfig(options: { gatewayId: string; mqttUrl: string; buses: Bus[]; pollIntervalS?: number; extra?: Record<string, unknown> }): AgentFiles {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-agent-e2e-'));
  const configFile = join(dir, 'agent.yaml');
  const config = {
    gatewayId: options.gatewayId,
    mqtt: { url: options.mqttUrl },
    poll: { pollIntervalS: options.pollIntervalS ?? 1, buses: options.buses },
    outbox: { path: 'outbox.db' },
    uplink: { ackTimeoutS: 3, healthIntervalS: 1, configCheckS: 3 },
    logLevel: 'info',
    ...options.extra,
  };
  writeFileSync(configFile, stringify(config));
  return { dir, configFile, outbox: join(dir, 'outbox.db') };
}

export interface AgentProcess {
  child: ChildProcess;
  /** stderr so far (JSON log lines). */
  log(): string;
  exited: Promise<number | null>;
}

export function spawnAgent(configFile: string, args: string[] = []): AgentProcess {
  const child = spawn(process.execPath, [TANDEM_BIN, 'agent', '--config', configFile, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  child.stdout!.resume();
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, log: () => stderr, exited };
}
