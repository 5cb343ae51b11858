// A simulated site as its own process (`tandem sim site`), so its meters answer on time
// however busy the collector in the demo process is with a month of backlog. Its stdout
// says where each bus listens; its stdin takes scenario commands (firmware-sim/README.md).
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { TANDEM_BIN } from '../lib/tandem-process.js';

/** A site loads a year of load data and opens its buses; this is ample. */
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

export interface SimProcess {
  /** Bus id → URL, e.g. tcp://127.0.0.1:40211 or rtu:/tmp/x/a?baud=9600. */
  buses: Map<string, string>;
  /** Sends one control line, e.g. `scenario treatment-off kiln-baghouse minutes=30`. */
  command(line: string): void;
  stop(): Promise<void>;
}

export async function startSimSite(args: string[], logFile: string, onExit: (code: number | null) => void): Promise<SimProcess> {
  const child = spawn(process.execPath, [TANDEM_BIN, 'sim', 'site', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stderr.pipe(log);
  const buses = new Map<string, string>();
  let stopping = false;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tandem sim site did not get ready within ${READY_TIMEOUT_MS / 1000} s; see ${logFile}`)), READY_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      log.write(`${line}\n`);
      const listening = /^listening (\S+) bus=(\S+)$/.exec(line);
      if (listening) buses.set(listening[2]!, listening[1]!);
      if (line === 'ready') (clearTimeout(timer), resolve());
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!stopping) onExit(code);
      reject(new Error(`tandem sim site exited with ${code} before it was ready; see ${logFile}`));
    });
  });
  return {
    buses,
    command: (line) => child.stdin.write(`${line}\n`),
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      log.end();
    },
  };
}
