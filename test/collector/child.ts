// Runs `tandem collector` as a child process (the built CLI in dist/) on free ports, and
// reports where it listens from its --json line.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const TANDEM = fileURLToPath(new URL('../../bin/tandem.js', import.meta.url));
const START_TIMEOUT_MS = 20_000;

export interface CollectorChild {
  mqttUrl: string;
  httpUrl: string;
  process: ChildProcess;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
  stop(): Promise<number | string>;
}

export async function startCollectorChild(args: string[], env: Record<string, string> = {}): Promise<CollectorChild> {
  const child = spawn(process.execPath, [TANDEM, 'collector', '--host', '127.0.0.1', '--mqtt-port', '0', '--http-port', '0', '--json', ...args], {
    env: { ...process.env, TANDEM_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`collector did not start within ${START_TIMEOUT_MS} ms: ${stderr}`)), START_TIMEOUT_MS);
    createInterface({ input: child.stdout! }).once('line', (l) => {
      clearTimeout(timer);
      resolve(l);
    });
    void exited.then((code) => reject(new Error(`collector exited (${code}) before listening: ${stderr}`)));
  });
  const where = JSON.parse(line) as { mqttUrl: string; httpUrl: string };
  return {
    ...where,
    process: child,
    exited,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
