// `tandem agent run --config FILE` as its own process, configured for the bench, with the
// event-loop delay preload; stop() sends SIGTERM (a clean shutdown) and returns the delay.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bus } from '../../protocol/index.js';
import { GATEWAY_PASSWORD, profilingArgs, TANDEM_BIN } from './collector-process.js';

const PRELOAD = fileURLToPath(new URL('./loop-delay-preload.js', import.meta.url));

export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
  mean: number;
  /** process.memoryUsage() at exit, MB: rss, heapTotal, heapUsed, external, arrayBuffers. */
  memoryMB: Record<string, number>;
}

export interface AgentProcess {
  pid: number;
  outboxPath: string;
  stop(): Promise<LoopDelay | null>;
}

export function startAgentProcess(dir: string, options: { gatewayId: string; mqttUrl: string; pollIntervalS: number; buses: Bus[]; outboxMaxAgeDays?: number; uplink?: Record<string, number> }): AgentProcess {
  const config = join(dir, 'agent.json');
  const outboxPath = join(dir, 'outbox.db');
  const loopFile = join(dir, 'loop-delay.json');
  writeFileSync(
    config,
    JSON.stringify({
      gatewayId: options.gatewayId,
      mqtt: { url: options.mqttUrl, username: options.gatewayId, password: GATEWAY_PASSWORD },
      poll: { pollIntervalS: options.pollIntervalS, buses: options.buses },
      outbox: { path: outboxPath, ...(options.outboxMaxAgeDays ? { maxAgeDays: options.outboxMaxAgeDays } : {}) },
      ...(options.uplink ? { uplink: options.uplink } : {}),
      logLevel: 'warn',
    }),
  );
  const child = spawn(process.execPath, [...profilingArgs(), '--import', PRELOAD, TANDEM_BIN, 'agent', 'run', '--config', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, TANDEM_BENCH_LOOP_FILE: loopFile },
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid!,
    outboxPath,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      if (!existsSync(loopFile)) {
        process.stderr.write(`bench: agent left no event-loop figures; its stderr:\n${stderr}\n`);
        return null;
      }
      return JSON.parse(readFileSync(loopFile, 'utf8')) as LoopDelay;
    },
  };
}
