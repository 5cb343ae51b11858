// MQTT brokers a test can stop and start again on the same port: the embedded aedes, and a
// private Mosquitto process (the same binary as the system's, on its own free port, so
// stopping it never disturbs the shared one on 1883). Both speak MQTT 3.1.1.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aedes } from 'aedes';

export interface TestBroker {
  name: string;
  url: string;
  /** False for the shared Mosquitto on 1883: other tests use it, so it is never stopped. */
  restartable: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops it for good and removes its files. */
  close(): Promise<void>;
}

/** A free TCP port on 127.0.0.1, asked of the OS. */
export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once something accepts connections on `port`, or rejects after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function aedesBroker(): Promise<TestBroker> {
  const port = await freePort();
  let running: { broker: Aedes; server: net.Server; sockets: Set<net.Socket> } | undefined;
  const broker: TestBroker = {
    name: 'aedes',
    restartable: true,
    url: `mqtt://127.0.0.1:${port}`,
    async start() {
      const aedes = await Aedes.createBroker();
      const sockets = new Set<net.Socket>();
      const server = net.createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        aedes.handle(socket);
      });
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
      running = { broker: aedes, server, sockets };
    },
    async stop() {
      if (!running) return;
      const { broker: aedes, server, sockets } = running;
      running = undefined;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise((resolve) => server.close(resolve));
    },
    close: () => broker.stop(),
  };
  await broker.start();
  return broker;
}

/** A self-signed certificate for 127.0.0.1 (openssl), or null without openssl. */
export function selfSignedCert(dir: string): { key: string; cert: string } | null {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return made.status === 0 ? { key, cert } : null;
}

/** aedes behind a TLS listener (mqtts://) with the given PEM files. */
export async function aedesTlsBroker(files: { key: string; cert: string }): Promise<{ url: string; close(): Promise<void> }> {
  const aedes = await Aedes.createBroker();
  const server = tls.createServer({ key: readFileSync(files.key), cert: readFileSync(files.cert) }, (socket) => aedes.handle(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `mqtts://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    async close() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Null when no mosquitto binary is installed. Persistence on, like a production install. */
export async function mosquittoBroker(): Promise<TestBroker | null> {
  if (spawnSync('mosquitto', ['-h']).error) return null;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'tandem-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location ${dir}/\n`);
  let child: ChildProcess | undefined;
  const broker: TestBroker = {
    name: 'mosquitto',
    restartable: true,
    url: `mqtt://127.0.0.1:${port}`,
    async start() {
      child = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
      await waitForPort(port);
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM'); // mosquitto saves its persistence file on SIGTERM
      await exited;
    },
    async close() {
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await broker.start();
  return broker;
}

/** The machine's Mosquitto on 127.0.0.1:1883, or null when it does not answer. */
export async function sharedMosquitto(): Promise<TestBroker | null> {
  const up = await waitForPort(SHARED_MOSQUITTO_PORT, 500).then(
    () => true,
    () => false,
  );
  if (!up) return null;
  const refuse = async () => {
    throw new Error('the shared Mosquitto on 1883 is not stopped by tests');
  };
  return { name: 'shared mosquitto', url: `mqtt://127.0.0.1:${SHARED_MOSQUITTO_PORT}`, restartable: false, start: refuse, stop: refuse, close: async () => {} };
}

const SHARED_MOSQUITTO_PORT = 1883;

/** Every broker the agent is tested against, by name; each factory gives null when absent. */
export const TEST_BROKERS: [string, () => Promise<TestBroker | null>][] = [
  ['aedes', aedesBroker],
  ['mosquitto', mosquittoBroker],
  ['shared mosquitto', sharedMosquitto],
];

export function absentReason(name: string): string {
  return name === 'shared mosquitto' ? 'nothing answers on 127.0.0.1:1883' : 'no mosquitto binary installed';
}

/** Test options for a case that stops and starts the broker. */
export function needsRestart(broker: TestBroker): { skip?: string } {
  return broker.restartable ? {} : { skip: 'stops the broker: never done to the shared Mosquitto on 1883 (the private Mosquitto run covers it)' };
}
