// Agent footprint on a gateway (DESIGN.md target: 32 meters at 15 s, RSS ≤ 60 MB, CPU ≤ 2 %
// of one core): `tandem agent run` polls 32 simulated meters (a separate `tandem sim bus`
// process, Modbus TCP) and delivers to a real collector, for 10 minutes. Baseline: a bare
// Node.js process doing nothing, the floor any Node.js agent stands on.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PROFILE_IDS, type Bus } from '../../protocol/index.js';
import type { Benchmark, Figure } from '../harness.js';
import { startAgentProcess, type LoopDelay } from '../lib/agent-process.js';
import { benchEnterprises, gatewayId, meterId, seedDb, startCollectorProcess, storedTimes, tempDir } from '../lib/collector-process.js';
import { watchProcess, type Usage } from '../lib/proc.js';
import { simMeters, startSimBus } from '../lib/sim-process.js';
import { sleep } from '../lib/stats.js';

const METERS = 32;
const TARGET_RSS_MB = 60;
const TARGET_CPU_PCT = 2;
const BARE_NODE_S = 5;
const QUICK_BARE_NODE_S = 2;

async function bareNode(seconds: number): Promise<Usage> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await sleep(1000);
  const watch = watchProcess(child.pid!);
  await sleep(seconds * 1000);
  const usage = watch.stop();
  child.kill();
  return usage;
}

export const benchmark: Benchmark = {
  name: 'agent-footprint',
  description: 'tandem agent run with 32 meters: RSS, CPU % of one core, event-loop delay',
  background: true,
  async run({ quick }) {
    const pollIntervalS = quick ? 1 : 15;
    const measureS = quick ? 10 : 600;
    const tmp = tempDir('footprint');
    const meters = simMeters(METERS, PROFILE_IDS);
    const sim = await startSimBus('tcp', meters);
    const bus: Bus = { id: 'bus1', kind: 'tcp', host: sim.host, port: sim.port, meters: meters.map((m, i) => ({ id: meterId(i), unit: m.unit, profile: m.profile })) };
    const db = join(tmp.dir, 'collector.db');
    seedDb(db, benchEnterprises({ gateways: 1, metersPerGateway: METERS, pollIntervalS, profiles: PROFILE_IDS, buses: [{ ...bus, meters: undefined }] }));
    const collector = await startCollectorProcess(db);
    const agent = startAgentProcess(tmp.dir, { gatewayId: gatewayId(0), mqttUrl: collector.mqttUrl, pollIntervalS, buses: [bus] });
    let usage: Usage;
    let from: number;
    let to: number;
    let loop: LoopDelay | null;
    try {
      // Warm-up: connect, first config, first poll cycle.
      await sleep(Math.max(3, pollIntervalS) * 1000);
      from = Date.now();
      const watch = watchProcess(agent.pid, 1000);
      await sleep(measureS * 1000);
      usage = watch.stop();
      to = Date.now();
    } finally {
      loop = await agent.stop();
      await sleep(1000); // the last Ack's commit
      await collector.stop();
      await sim.stop();
    }
    const expected = Math.floor((to - from) / (pollIntervalS * 1000)) * METERS;
    const delivered = storedTimes(db, from, to).length;
    tmp.cleanup();
    const floor = await bareNode(quick ? QUICK_BARE_NODE_S : BARE_NODE_S);
    const workload = `${METERS} meters (Modbus TCP sim) every ${pollIntervalS} s for ${measureS} s, delivering to a collector`;
    const bare = (value: number) => ({ name: 'bare Node.js process', value });
    return [
      { what: 'agent RSS peak', workload, value: usage.rssPeakMB, unit: 'MB', baseline: bare(floor.rssPeakMB), target: `≤ ${TARGET_RSS_MB}`, meets: usage.rssPeakMB <= TARGET_RSS_MB, better: 'lower', note: `mean ${usage.rssMeanMB.toFixed(1)} MB; at exit (MB) ${loop ? Object.entries(loop.memoryMB).map(([k, v]) => `${k} ${v}`).join(', ') : 'n/a'}` },
      { what: 'agent CPU', workload, value: usage.cpuPct, unit: '% core', baseline: bare(floor.cpuPct), target: `≤ ${TARGET_CPU_PCT}`, meets: usage.cpuPct <= TARGET_CPU_PCT, better: 'lower', note: 'utime+stime from /proc over the window; runs beside the other benchmarks' },
      { what: 'agent event-loop delay p99', workload, value: loop?.p99 ?? NaN, unit: 'ms', better: 'lower', note: `monitorEventLoopDelay preloaded into the agent (max ${loop?.max.toFixed(1) ?? 'n/a'} ms); includes contention from benchmarks running beside it` },
      { what: 'readings delivered (stored by the collector)', workload, value: delivered, unit: 'readings', baseline: { name: 'polls due', value: expected }, better: 'higher' },
    ] satisfies Figure[];
  },
};
