// Simulated meters in their own process (`tandem sim bus`), so their CPU is not ours.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { TANDEM_BIN } from './collector-process.js';

const START_TIMEOUT_MS = 20_000;

export interface SimMeter {
  unit: number;
  profile: string;
  kw: number;
}

export interface SimBus {
  host: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export async function startSimBus(kind: 'tcp' | 'rtu-over-tcp', meters: SimMeter[], baud = 9600): Promise<SimBus> {
  const args = [TANDEM_BIN, 'sim', 'bus', `--${kind}`, '127.0.0.1:0', '--baud', String(baud), ...meters.flatMap((m) => ['--meter', `${m.unit}:${m.profile}:${m.kw}`])];
  // stdin stays open: the simulator reads control commands from it.
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TANDEM_LOG_LEVEL: 'warn' } });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sim bus did not start: ${stderr}`)), START_TIMEOUT_MS);
    createInterface({ input: child.stdout! }).once('line', (l) => {
      clearTimeout(timer);
      resolve(l);
    });
    void exited.then(() => reject(new Error(`sim bus exited: ${stderr}`)));
  });
  const match = /:\/\/([^:]+):(\d+)/.exec(line);
  if (!match) throw new Error(`sim bus printed '${line}', not "listening URL"`);
  return {
    host: match[1]!,
    port: Number(match[2]),
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** `count` meters, units 1.., cycling through `profiles`, each at a different load. */
export function simMeters(count: number, profiles: readonly string[]): SimMeter[] {
  return Array.from({ length: count }, (_, i) => ({ unit: i + 1, profile: profiles[i % profiles.length]!, kw: 20 + i }));
}
