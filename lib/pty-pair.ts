// A pair of linked pseudo-terminals from socat: a serial line without hardware. The agent
// opens one end, a simulated meter bus the other (the demo and the serial tests).
// Ready when socat says its transfer loop started.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const READY_TIMEOUT_MS = 5000;

export interface PtyPair {
  a: string;
  b: string;
  dir: string;
  /** Stops socat: both ends vanish, like an unplugged adapter. `keepDir` to start a pair again at the same paths. */
  close(keepDir?: boolean): Promise<void>;
}

/** Why serial tests cannot run here, or undefined when socat is available. */
export function ptySkipReason(): string | undefined {
  return spawnSync('socat', ['-V']).status === 0 ? undefined : 'socat is not installed (apt-get install socat)';
}

/** `dir` reuses the link names of an earlier pair: a re-plugged adapter at the same path. */
export async function startPtyPair(dir = mkdtempSync(join(tmpdir(), 'tandem-pty-'))): Promise<PtyPair> {
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  const child: ChildProcess = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`socat did not start within ${READY_TIMEOUT_MS} ms: ${log}`)), READY_TIMEOUT_MS);
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('starting data transfer loop')) (clearTimeout(timer), resolve());
    });
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`socat exited with ${code}: ${log}`))));
  });
  return {
    a,
    b,
    dir,
    async close(keepDir = false) {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (!keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
