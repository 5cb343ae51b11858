// Helpers for the simulator's end-to-end tests: the CLI as a long-running child process,
// mbpoll as a third-party Modbus master, socat pty pairs for serial lines.
import { execFile, spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { TANDEM_BIN } from '../helpers/cli.js';

export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

export function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-sim-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Resolves with the first stdout line matching `pattern`, or rejects after `timeoutMs`. */
function waitForLine(lines: readline.Interface, pattern: RegExp, timeoutMs: number, stderr: () => string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stderr: ${stderr()}`)), timeoutMs);
    const onLine = (line: string) => {
      const m = pattern.exec(line);
      if (!m) return;
      clearTimeout(timer);
      lines.off('line', onLine);
      resolve(m);
    };
    lines.on('line', onLine);
  });
}

export interface SimProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  port?: number;
  stderr(): string;
  /** Sends one control command on stdin and resolves with its reply line. */
  command(line: string): Promise<string>;
  stop(): Promise<number | null>;
}

/** Starts `tandem ARGS…` and waits for its "listening URL" line. */
export async function startSim(args: string[], timeoutMs = 15_000): Promise<SimProcess> {
  const child = spawn(process.execPath, [TANDEM_BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const lines = readline.createInterface({ input: child.stdout });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const m = await Promise.race([
    waitForLine(lines, /^listening (\S+)/, timeoutMs, () => stderr),
    exited.then((code) => Promise.reject(new Error(`tandem ${args.join(' ')} exited ${code}: ${stderr}`))),
  ]);
  const url = m[1];
  const port = /:(\d+)$/.exec(url)?.[1];
  return {
    child,
    url,
    ...(port && { port: Number(port) }),
    stderr: () => stderr,
    async command(line) {
      const reply = waitForLine(lines, /^(ok|error|\{).*/, 5000, () => stderr);
      child.stdin.write(line + '\n');
      return (await reply)[0];
    },
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      return exited;
    },
  };
}

export interface MbpollResult {
  ok: boolean;
  registers: number[];
  stderr: string;
  elapsedMs: number;
}

/**
 * One mbpoll read of `count` raw 16-bit registers from PDU address `address` (-0: 0-based).
 * `target`: ['-m', 'tcp', '-p', PORT, …, '127.0.0.1'] style connection arguments.
 */
export function mbpoll(connection: string[], unit: number, fc: 3 | 4, address: number, count: number, timeoutS = 1): Promise<MbpollResult> {
  const args = ['-a', String(unit), '-r', String(address), '-c', String(count), '-t', fc === 3 ? '4:hex' : '3:hex', '-0', '-1', '-q', '-o', String(timeoutS), ...connection];
  const started = performance.now();
  return new Promise((resolve) => {
    execFile('mbpoll', args, { timeout: (timeoutS + 5) * 1000 }, (error, stdout, stderr) => {
      const registers = [...stdout.matchAll(/^\[\d+\]:\s+0x([0-9A-F]+)/gim)].map((m) => Number.parseInt(m[1], 16));
      resolve({ ok: !error && registers.length === count, registers, stderr: String(stderr), elapsedMs: performance.now() - started });
    });
  });
}

export interface PtyPair {
  /** The simulator's end. */
  a: string;
  /** The master's end. */
  b: string;
  close(): Promise<void>;
}

/** A socat pty pair; resolves when socat says it is transferring (both links exist by then). */
export async function ptyPair(dir: string, timeoutMs = 5000): Promise<PtyPair> {
  const a = path.join(dir, 'sim');
  const b = path.join(dir, 'master');
  const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`socat did not start within ${timeoutMs} ms: ${log}`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      socat.kill();
      reject(error);
    };
    socat.stderr.on('data', (chunk) => {
      log += chunk;
      if (!log.includes('starting data transfer loop')) return;
      clearTimeout(timer);
      if (existsSync(a) && existsSync(b)) resolve();
      else fail(new Error(`socat started but ${a} or ${b} is missing`));
    });
    socat.on('exit', (code) => fail(new Error(`socat exited ${code}: ${log}`)));
  });
  return {
    a,
    b,
    close: () =>
      new Promise((resolve) => {
        if (socat.exitCode !== null) return resolve();
        socat.once('exit', () => resolve());
        socat.kill();
      }),
  };
}

/** A minimal Modbus TCP read (FC 03/04) for in-process tests: registers, or the exception code. */
export function readTcp(port: number, unit: number, fc: 3 | 4, address: number, count: number, timeoutMs = 2000): Promise<number[] | { exception: number }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no reply from unit ${unit} within ${timeoutMs} ms`));
    }, timeoutMs);
    let data = Buffer.alloc(0);
    socket.on('connect', () => {
      const req = Buffer.alloc(12);
      req.writeUInt16BE(1, 0);
      req.writeUInt16BE(6, 4);
      req[6] = unit;
      req[7] = fc;
      req.writeUInt16BE(address, 8);
      req.writeUInt16BE(count, 10);
      socket.write(req);
    });
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (data.length < 9 || data.length < 6 + data.readUInt16BE(4)) return;
      clearTimeout(timer);
      socket.destroy();
      if (data[7] & 0x80) return resolve({ exception: data[8] });
      resolve(Array.from({ length: data[8] / 2 }, (_, k) => data.readUInt16BE(9 + 2 * k)));
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
