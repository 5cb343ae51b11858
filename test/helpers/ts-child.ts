// Spawns a TypeScript file as a child process with the loader tap itself runs .ts tests with.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export function spawnTs(file: string, args: string[]): ChildProcessWithoutNullStreams {
  const loader = process.execArgv.filter((arg) => arg.includes('@tapjs/typescript') || arg === '--enable-source-maps');
  return spawn(process.execPath, [...loader, file, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
}
