// `tandem demo` / `npm start`: the whole chain on one machine. The collector (embedded
// broker, SQLite) runs in this process; each simulated site is a `tandem sim site`
// process, and one `tandem agent` process per site polls its meters over Modbus TCP, RTU
// over TCP and (with socat) RTU on a serial pty. Each site's last days of history go into
// its agent's outbox first and arrive as backlog.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, stringify, type YAMLMap, type YAMLSeq } from 'yaml';
import { exampleSiteFiles, loadSite, Plant, type Site } from '../firmware-sim/index.js';
import { startCollector, type RunningCollector } from '../collector/index.js';
import { createApiToken } from '../collector/http/auth.js';
import { createEnrolToken } from '../collector/registry/enrolment.js';
import { importEnterprises } from '../collector/registry/import-file.js';
import { truthNotices, truthOrders } from '../collector/models/site-registry.js';
import { ptySkipReason, startPtyPair, type PtyPair } from '../lib/pty-pair.js';
import type { Logger } from '../lib/logger.js';
import { runTandem, startTandem, type TandemService } from '../lib/tandem-process.js';
import { loadHistory } from './history.js';
import { portOrAny } from './ports.js';
import { injectLiveViolation, type LiveViolation } from './live-violation.js';
import { startSimSite, type SimProcess } from './sim-process.js';

const HOST = '127.0.0.1';

export interface DemoOptions {
  dataDir: string;
  httpPort: number;
  mqttPort: number;
  /** Days of history per site. */
  days: number;
  /** Seconds after start at which the live violation is injected. */
  violationAfterS: number;
  /** `auto`: treatment-off where production runs now, else a reversed CT; `reversed-ct`: always the meter fault (its rule has no dwell). */
  violation?: 'auto' | 'reversed-ct';
  siteFiles?: string[];
  logger: Logger;
  progress: (line: string) => void;
}

export interface RunningDemo {
  httpUrl: string;
  mqttUrl: string;
  /** Operator token (admin) for the web page and the API. */
  token: string;
  collector: RunningCollector;
  sites: DemoSite[];
  /** Resolves with what was injected once the live violation has started. */
  violation: Promise<LiveViolation>;
  stop(): Promise<void>;
}

export interface DemoSite {
  site: Site;
  sim: SimProcess;
  /** The plant as the simulator plays it (deterministic), to know what runs when. */
  plant: Plant;
  gatewayId: string;
}

export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const { dataDir, logger, progress } = options;
  // Demo data is made fresh each run: a second history load into old data would double it.
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    while (cleanups.length) await cleanups.pop()!();
  };
  try {
    const [mqttPort, httpPort] = await Promise.all([portOrAny(options.mqttPort, HOST), portOrAny(options.httpPort, HOST)]);
    if (mqttPort !== options.mqttPort) progress(`MQTT port ${options.mqttPort} is taken; using a free one`);
    if (httpPort !== options.httpPort) progress(`HTTP port ${options.httpPort} is taken; using a free one`);
    const collector = await startCollector({ db: join(dataDir, 'collector.db'), host: HOST, mqttPort, httpPort, log: logger });
    cleanups.push(() => collector.stop());
    progress(`collector: MQTT ${collector.mqttUrl}, HTTP ${collector.httpUrl}`);

    const serialSkip = ptySkipReason();
    if (serialSkip) progress(`serial buses run as RTU over TCP instead: ${serialSkip}`);
    const sites: RunningDemo['sites'] = [];
    const agents: TandemService[] = [];
    cleanups.push(async () => {
      await Promise.all(agents.map((a) => a.stop()));
    });
    const now = Date.now();
    for (const file of options.siteFiles ?? exampleSiteFiles()) {
      let site = loadSite(file);
      const dir = join(dataDir, site.gateway.id);
      mkdirSync(dir, { recursive: true });

      // Serial buses get a pty pair: the simulator serves one end, the agent opens the other.
      // Without socat they are served as raw RTU over TCP from a copy of the site file.
      let siteFile = file;
      const serialArgs: string[] = [];
      const agentPaths: Record<string, string> = {};
      if (serialSkip) {
        siteFile = join(dir, 'site.yaml');
        writeFileSync(siteFile, serialAsTcp(readFileSync(file, 'utf8')));
        site = loadSite(siteFile);
      } else {
        for (const bus of site.buses.filter((b) => b.kind === 'rtu')) {
          const pair: PtyPair = await startPtyPair();
          cleanups.push(() => pair.close());
          serialArgs.push('--serial', `${bus.id}=${pair.a}`);
          agentPaths[bus.id] = pair.b;
        }
      }

      const stateFile = join(dir, 'meters-state.json');
      const outboxPath = join(dir, 'outbox.db');
      progress(`${site.id}: simulating ${options.days} days of history…`);
      let shown = 0;
      const history = loadHistory(site, {
        days: options.days,
        end: now,
        outboxPath,
        maxAgeDays: options.days + 2,
        stateFile,
        logger,
        onProgress: (done) => {
          if (done - shown >= 100_000) progress(`${site.id}: ${(shown = done).toLocaleString('en-US')} readings into the agent's outbox`);
        },
      });
      progress(`${site.id}: ${history.readings.toLocaleString('en-US')} history readings wait in the outbox`);

      const simLog = join(dataDir, 'logs', `sim-${site.id}.log`);
      const simArgs = ['--site', siteFile, '--free-ports', '--host', HOST, '--state', stateFile, '--labels', join(dir, 'labels.json'), '--no-scenarios', ...serialArgs];
      const sim = await startSimSite(simArgs, simLog, (code) => progress(`simulator of ${site.id} exited with ${code}; see ${simLog}`));
      cleanups.push(() => sim.stop());

      // Register the enterprise with the buses where the agent reaches them.
      await importEnterprises(collector.store, [registryEntry(site, sim.buses, agentPaths)], Date.now());
      for (const order of truthOrders(history.truth)) await collector.store.upsertOrder(order);
      for (const notice of truthNotices(history.truth, [site])) await collector.store.upsertNotice(notice);

      // The technician's path: a one-time token, `tandem agent enroll`, then run the agent.
      const configFile = join(dir, 'agent.yaml');
      writeFileSync(configFile, baseAgentConfig(site, outboxPath, options.days + 2));
      const { token } = await createEnrolToken(collector.store, site.gateway.id, Date.now());
      const enrolled = await runTandem(['agent', 'enroll', '--collector', collector.httpUrl, '--token', token, '--out', configFile]);
      if (enrolled.code !== 0) throw new Error(`tandem agent enroll failed for ${site.gateway.id}: ${enrolled.stderr.trim()}`);
      const agentLog = join(dataDir, 'logs', `agent-${site.gateway.id}.log`);
      const agent = startTandem(['agent', 'run', '--config', configFile], agentLog, (code) => progress(`agent ${site.gateway.id} exited with ${code}; see ${agentLog}`));
      agents.push(agent);
      sites.push({ site, sim, plant: new Plant(site), gatewayId: site.gateway.id });
      progress(`${site.id}: simulated meters on ${[...sim.buses.values()].join(', ')}; agent started`);
    }

    const token = await createApiToken(collector.store, 'admin', 'demo operator', Date.now());
    const violation = injectLiveViolation(sites, collector.store, options.violationAfterS * 1000, options.violation ?? 'auto', progress);
    cleanups.push(() => violation.cancel());
    return { httpUrl: collector.httpUrl, mqttUrl: collector.mqttUrl, token, collector, sites, violation: violation.started, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Without socat, a serial bus is served as raw RTU over TCP: the same frames, another wire. */
function serialAsTcp(siteYaml: string): string {
  const doc = parseDocument(siteYaml);
  const buses = doc.getIn(['gateway', 'buses']) as YAMLSeq<YAMLMap>;
  for (const bus of buses.items) {
    if (bus.get('kind') !== 'rtu') continue;
    for (const key of ['path', 'baud', 'parity', 'dataBits', 'stopBits']) bus.delete(key);
    bus.set('kind', 'rtu-over-tcp');
    bus.set('host', HOST);
    bus.set('port', 0);
  }
  return doc.toString();
}

/** The site as the collector's registry knows it: its gateway's buses where the agent finds them. */
function registryEntry(site: Site, served: Map<string, string>, agentPaths: Record<string, string>) {
  const buses = site.gateway.buses.map((bus) => {
    const id = String(bus.id);
    if (bus.kind === 'rtu') return { ...bus, path: agentPaths[id] ?? bus.path };
    return { ...bus, host: HOST, port: Number(new URL(served.get(id)!).port) };
  });
  const { sim: _sim, file: _file, buses: _buses, ...enterprise } = site;
  return { ...enterprise, gateway: { ...site.gateway, buses } };
}

/** Before enrolment: where the outbox lives and how long it keeps readings; enrol adds the credentials. */
function baseAgentConfig(site: Site, outboxPath: string, maxAgeDays: number): string {
  return stringify({
    gatewayId: site.gateway.id,
    mqtt: { url: 'mqtt://127.0.0.1:1883' },
    // What to poll comes from the collector (retained config); nothing until it arrives.
    poll: { pollIntervalS: site.gateway.pollIntervalS ?? 15, buses: [] },
    outbox: { path: outboxPath, maxAgeDays },
    logLevel: 'warn',
  });
}
