// Side by side with what users run today: the same 32 simulated meters (one RS-485 line at
// 9600 baud each, RTU over TCP) polled every 15 s by `tandem agent run` and by Node-RED with
// node-red-contrib-modbus and its MQTT out node, installed from npm at run time. Both
// brokers are stopped for 5 minutes; what reached each broker in the window is counted.
// Quick mode runs ours only, briefly (no download in the test suite).
import { DEFAULT_GAP_FILL } from '../../agent/polling/meter-reader.js';
import type { Benchmark, Figure } from '../harness.js';
import { tempDir } from '../lib/collector-process.js';
import { LINE_NOTE, meterLineMs, readExchangeMs } from '../lib/line.js';
import { watchProcess, type Usage } from '../lib/proc.js';
import { simMeters } from '../lib/sim-process.js';
import { percentile, sleep, until } from '../lib/stats.js';
import { startNodeRed, startOurs, type Contender } from './contenders.js';
import { REGISTER_COUNT } from './flow.js';
import { CONTRIB_MODBUS_VERSION, installNodeRed, NODE_RED_VERSION } from './install.js';

const PROFILE = 'adw300';
const FULL = { meters: 32, intervalS: 15, upS: 60, downS: 300, afterS: 90, settleS: 10 };
/** Quick: 8 meters fit a 1 s cycle on a 9600-baud line. */
const QUICK = { meters: 8, intervalS: 1, upS: 4, downS: 3, afterS: 4, settleS: 3 };
/** Set to 1 to include Node-RED in quick mode too (downloads it once into the temp folder). */
const QUICK_WITH_PEER_ENV = 'TANDEM_BENCH_NODE_RED_QUICK';
const FIRST_READINGS_TIMEOUT_MS = 60_000;

interface Outcome {
  usage: Usage;
  arrived: number[];
}

/**
 * Median first → last reading of the poll cycles before the outage that read every meter.
 * Within a cycle readings follow each other at line pace; a gap over 3 × the median gap
 * starts the next cycle.
 */
function cycleSpanMs(times: number[], meters: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  const gaps = sorted.slice(1).map((t, i) => t - sorted[i]!);
  const split = 3 * percentile(gaps, 50);
  const spans: number[] = [];
  let start = 0;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && gaps[i - 1]! <= split) continue;
    if (i - start >= meters) spans.push(sorted[i - 1]! - sorted[start]!);
    start = i;
  }
  return percentile(spans, 50);
}

export const benchmark: Benchmark = {
  name: 'node-red',
  description: 'tandem agent vs Node-RED + node-red-contrib-modbus + MQTT out: CPU, RSS, bus cycle, readings lost over a 5-minute broker outage',
  background: true,
  async run({ quick }) {
    const plan = quick ? QUICK : FULL;
    const tmp = tempDir('node-red');
    const METERS = plan.meters;
    const meters = simMeters(METERS, [PROFILE]);
    const contenders: Contender[] = [];
    let skipped: string | null = quick && !process.env[QUICK_WITH_PEER_ENV] ? `quick mode: Node-RED is not downloaded and run (${QUICK_WITH_PEER_ENV}=1 includes it)` : null;
    try {
      contenders.push(await startOurs(`${tmp.dir}`, meters, plan.intervalS));
      if (!skipped) {
        try {
          const red = await installNodeRed();
          contenders.push(await startNodeRed(tmp.dir, red, meters, plan.intervalS));
        } catch (error) {
          skipped = `Node-RED could not be installed or started: ${(error as Error).message.split('\n')[0]}`;
        }
      }
      if (skipped) process.stderr.write(`bench node-red: ${skipped}\n`);
      const boot = Date.now();
      await until(() => contenders.every((c) => c.arrived(boot - 60_000, Date.now() + 60_000).length > 0), 'first readings at both brokers', FIRST_READINGS_TIMEOUT_MS, 500);
      const intervalMs = plan.intervalS * 1000;
      const t0 = (Math.floor(Date.now() / intervalMs) + 1) * intervalMs;
      await sleep(t0 - Date.now());
      const watches = contenders.map((c) => watchProcess(c.pid, 1000));
      await sleep(plan.upS * 1000);
      const outageAt = Date.now();
      await Promise.all(contenders.map((c) => c.stopBroker()));
      await sleep(plan.downS * 1000 - (Date.now() - outageAt));
      await Promise.all(contenders.map((c) => c.startBroker()));
      const t1 = t0 + (plan.upS + plan.downS + plan.afterS) * 1000;
      await sleep(t1 - Date.now());
      const usages = watches.map((w) => w.stop());
      await sleep(plan.settleS * 1000); // what the agent kept during the outage drains
      const outcomes: Outcome[] = contenders.map((c, i) => ({ usage: usages[i]!, arrived: c.arrived(t0, t1) }));
      const due = ((t1 - t0) / intervalMs) * METERS;
      const spanUntil = t0 + plan.upS * 1000;
      const [ours, peer] = outcomes.map((o) => ({
        ...o,
        lost: Math.max(0, due - o.arrived.length),
        spanMs: cycleSpanMs(o.arrived.filter((t) => t < spanUntil), METERS),
      }));
      const workload = `${METERS} ${PROFILE} meters, RTU over TCP at 9600, every ${plan.intervalS} s; brokers down ${plan.downS} s of ${plan.upS + plan.downS + plan.afterS} s`;
      const base = (pick: (o: NonNullable<typeof peer>) => number) => (peer ? { baseline: { name: 'Node-RED', value: pick(peer) } } : {});
      const peerNote = skipped ?? `node-red ${NODE_RED_VERSION}, node-red-contrib-modbus ${CONTRIB_MODBUS_VERSION}; counted at the broker, not at the sender`;
      const agentLine = (METERS - 1) * meterLineMs(PROFILE, DEFAULT_GAP_FILL);
      const redLine = (METERS - 1) * readExchangeMs(REGISTER_COUNT);
      return [
        { what: 'readings lost over the broker outage', workload, value: ours!.lost, unit: 'readings', ...base((p) => p.lost), target: '0', meets: ours!.lost === 0, better: 'lower', note: `${due} polls due in the window; ${peerNote}` },
        { what: 'CPU', workload, value: ours!.usage.cpuPct, unit: '% core', ...base((p) => p.usage.cpuPct), better: 'lower' },
        { what: 'RSS peak', workload, value: ours!.usage.rssPeakMB, unit: 'MB', ...base((p) => p.usage.rssPeakMB), better: 'lower' },
        {
          what: 'poll cycle, first → last meter', workload, value: ours!.spanMs, unit: 'ms', ...base((p) => p.spanMs), better: 'lower',
          note: `line minimum ${agentLine.toFixed(0)} ms for the agent's 2 merged reads per meter, ${redLine.toFixed(0)} ms for Node-RED's one ${REGISTER_COUNT}-register read per meter: ${LINE_NOTE}`,
        },
      ] satisfies Figure[];
    } finally {
      for (const c of contenders) await c.stop();
      tmp.cleanup();
    }
  },
};
