// Runs the built `tandem` CLI as a child process: to completion (tests, the demo's enrol
// step) or as a long-running service whose output goes to a log file (the demo's agents).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './project-root.js';

export const TANDEM_BIN = join(PROJECT_ROOT, 'bin', 'tandem.js');

/** A service gets this long to exit after SIGTERM before it is killed. */
const STOP_GRACE_MS = 10_000;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `tandem ARGS…` to completion, killing it after `timeoutMs`. */
export function runTandem(args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TANDEM_BIN, ...args], {
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

export interface TandemService {
  process: ChildProcess;
  logFile: string;
  /** SIGTERM, then SIGKILL after a grace period; resolves when it has exited. */
  stop(): Promise<void>;
}

/** Starts `tandem ARGS…` with stdout and stderr appended to `logFile`; `onExit` hears of an exit it did not ask for. */
export function startTandem(args: string[], logFile: string, onExit: (code: number | null) => void): TandemService {
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [TANDEM_BIN, ...args], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let stopping = false;
  child.on('exit', (code) => {
    if (!stopping) onExit(code);
  });
  return {
    process: child,
    logFile,
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
