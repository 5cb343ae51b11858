// The two contenders of the Node-RED comparison, each with its own simulated RS-485 line,
// its own broker that can be stopped and started again on the same port, and a count of the
// readings that reached that broker (the collector's store for ours, the counting broker
// for Node-RED).
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bus } from '../../protocol/index.js';
import { startAgentProcess } from '../lib/agent-process.js';
import { benchEnterprises, gatewayId, meterId, seedDb, startCollectorProcess, storedTimes, type ChildServer } from '../lib/collector-process.js';
import { BAUD } from '../lib/line.js';
import type { SimMeter } from '../lib/sim-process.js';
import { startSimBus } from '../lib/sim-process.js';
import { nodeRedFlow } from './flow.js';

const COUNTING_BROKER = fileURLToPath(new URL('./counting-broker.js', import.meta.url));
const BROKER_START_TIMEOUT_MS = 10_000;

export interface Contender {
  name: string;
  pid: number;
  stopBroker(): Promise<void>;
  startBroker(): Promise<void>;
  /** Event times of the readings that reached the broker, in [from, to). */
  arrived(from: number, to: number): number[];
  stop(): Promise<void>;
}

const exitOf = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));

async function stopChild(child: ChildProcess): Promise<void> {
  const exited = exitOf(child);
  child.kill('SIGTERM');
  await exited;
}

export async function startOurs(dir: string, meters: SimMeter[], pollIntervalS: number): Promise<Contender> {
  const sim = await startSimBus('rtu-over-tcp', meters, BAUD);
  const bus: Bus = { id: 'rs485', kind: 'rtu-over-tcp', host: sim.host, port: sim.port, meters: meters.map((m, i) => ({ id: meterId(i), unit: m.unit, profile: m.profile })) };
  const db = join(dir, 'collector.db');
  seedDb(db, benchEnterprises({ gateways: 1, metersPerGateway: meters.length, pollIntervalS, profiles: [meters[0]!.profile], buses: [{ ...bus, meters: undefined }] }));
  let collector: ChildServer | null = await startCollectorProcess(db);
  const mqttPort = Number(new URL(collector.mqttUrl).port);
  const agent = startAgentProcess(dir, { gatewayId: gatewayId(0), mqttUrl: collector.mqttUrl, pollIntervalS, buses: [bus] });
  return {
    name: 'tandem agent',
    pid: agent.pid,
    async stopBroker() {
      await collector?.stop();
      collector = null;
    },
    async startBroker() {
      collector = await startCollectorProcess(db, { mqttPort });
    },
    arrived: (from, to) => storedTimes(db, from, to),
    async stop() {
      await agent.stop();
      await collector?.stop();
      await sim.stop();
    },
  };
}

export async function startNodeRed(dir: string, redJs: string, meters: SimMeter[], pollIntervalS: number): Promise<Contender> {
  const sim = await startSimBus('rtu-over-tcp', meters, BAUD);
  const arrivals: number[] = [];
  let broker: ChildProcess | null = null;
  let mqttPort = 0;
  const startBroker = async () => {
    const child = fork(COUNTING_BROKER, [String(mqttPort)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    mqttPort = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('counting broker did not start')), BROKER_START_TIMEOUT_MS);
      child.on('message', (m: { port?: number; arrived?: number[] }) => {
        if (m.port !== undefined) {
          clearTimeout(timer);
          resolve(m.port);
        }
        if (m.arrived) for (const t of m.arrived) arrivals.push(t);
      });
    });
    broker = child;
  };
  await startBroker();
  const userDir = join(dir, 'node-red');
  const flowFile = join(dir, 'flows.json');
  const settings = join(dir, 'settings.cjs');
  writeFileSync(flowFile, JSON.stringify(nodeRedFlow({ meters: meters.length, pollIntervalS, modbusHost: sim.host, modbusPort: sim.port, mqttPort })));
  writeFileSync(
    settings,
    `module.exports = { uiHost: '127.0.0.1', uiPort: 0, httpAdminRoot: false, httpNodeRoot: false, credentialSecret: false,
  logging: { console: { level: 'error', metrics: false, audit: false } }, diagnostics: { enabled: false }, telemetry: { enabled: false } };\n`,
  );
  const red = spawn(process.execPath, [redJs, '--settings', settings, '--userDir', userDir, flowFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  red.stderr!.on('data', (c: Buffer) => process.stderr.write(`node-red: ${c.toString()}`));
  return {
    name: 'Node-RED + contrib-modbus',
    pid: red.pid!,
    async stopBroker() {
      if (broker) await stopChild(broker);
      broker = null;
    },
    startBroker,
    arrived: (from, to) => arrivals.filter((t) => t >= from && t < to),
    async stop() {
      await stopChild(red);
      if (broker) await stopChild(broker);
      await sim.stop();
    },
  };
}
