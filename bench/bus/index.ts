// RTU bus efficiency at 9600 baud (DESIGN.md target: ≥ 90 % of what the line allows). The
// agent's bus scheduler (createPoller) reads 16 simulated meters of every profile over raw
// RTU over TCP from `tandem sim bus`, which holds each reply for its line time. Achieved:
// readings per second while a cycle runs (tick → last reading). The line's maximum: the
// same requests back to back at the baud rate. Contenders: read merging as configured
// (gapFill default, profile's maxRegistersPerRead) vs one request per quantity.
import { getProfile, PROFILE_IDS, type Bus } from '../../protocol/index.js';
import { createPoller } from '../../agent/polling/index.js';
import { DEFAULT_GAP_FILL } from '../../agent/polling/meter-reader.js';
import { createLogger } from '../../lib/logger.js';
import type { Benchmark, Figure } from '../harness.js';
import { meterId } from '../lib/collector-process.js';
import { simMeters, startSimBus } from '../lib/sim-process.js';
import { sleep } from '../lib/stats.js';
import { BAUD, LINE_NOTE, meterLineMs, simulatorExchangeMs } from '../lib/line.js';

/** Meters on the line (quick: a 1 s cycle). */
const METERS = 16;
const QUICK_METERS = 3;
const TARGET_SHARE = 0.9;
/** One request per quantity: no point shares a read (float32/int32 take 2 registers). */
const UNMERGED_MAX_REGISTERS = 2;

interface Plan {
  gapFill: number;
  maxRegisters?: number;
}

/** Setup → run → teardown of one contender; returns achieved and line-maximum readings/s. */
async function measure(plan: Plan, cycles: number, count: number): Promise<{ achieved: number; line: number; simLine: number }> {
  const meters = simMeters(count, PROFILE_IDS);
  const lineCycleMs = meters.reduce((ms, m) => ms + meterLineMs(m.profile, plan.gapFill, plan.maxRegisters), 0);
  const simCycleMs = meters.reduce((ms, m) => ms + meterLineMs(m.profile, plan.gapFill, plan.maxRegisters, simulatorExchangeMs), 0);
  const pollIntervalS = Math.ceil((lineCycleMs * 1.5) / 1000);
  const sim = await startSimBus('rtu-over-tcp', meters, BAUD);
  // The scheduler reads maxRegistersPerRead from the shared profile; lowered here for this contender only.
  const saved = new Map(PROFILE_IDS.map((id) => [id, getProfile(id).maxRegistersPerRead]));
  if (plan.maxRegisters) for (const id of PROFILE_IDS) (getProfile(id) as { maxRegistersPerRead: number }).maxRegistersPerRead = plan.maxRegisters;
  const bus: Bus = { id: 'rs485', kind: 'rtu-over-tcp', host: sim.host, port: sim.port, gapFill: plan.gapFill, meters: meters.map((m, i) => ({ id: meterId(i), unit: m.unit, profile: m.profile })) };
  const arrivals: number[] = [];
  const poller = createPoller(bus, { pollIntervalS, onReading: () => arrivals.push(Date.now()), logger: createLogger('bench-bus', 'warn') });
  const intervalMs = pollIntervalS * 1000;
  try {
    await poller.start();
    // Whole cycles: from the first tick after start, `cycles` ticks, each given its interval to finish.
    const firstTick = (Math.floor(Date.now() / intervalMs) + 1) * intervalMs;
    await sleep(firstTick + cycles * intervalMs - Date.now() + 200);
    let readings = 0;
    let busyMs = 0;
    for (let c = 0; c < cycles; c++) {
      const tick = firstTick + c * intervalMs;
      const inCycle = arrivals.filter((t) => t >= tick && t < tick + intervalMs);
      if (inCycle.length === 0) continue;
      readings += inCycle.length;
      busyMs += Math.max(...inCycle) - tick;
    }
    return { achieved: (readings * 1000) / busyMs, line: (count * 1000) / lineCycleMs, simLine: (count * 1000) / simCycleMs };
  } finally {
    await poller.stop();
    for (const [id, max] of saved) (getProfile(id) as { maxRegistersPerRead: number }).maxRegistersPerRead = max;
    await sim.stop();
  }
}

export const benchmark: Benchmark = {
  name: 'bus',
  description: 'RTU at 9600 baud: readings/s the agent achieves vs the line maximum, with and without read merging',
  async run({ quick }) {
    const cycles = quick ? 1 : 4;
    const count = quick ? QUICK_METERS : METERS;
    const merged = await measure({ gapFill: DEFAULT_GAP_FILL }, cycles, count);
    const single = await measure({ gapFill: 0, maxRegisters: UNMERGED_MAX_REGISTERS }, cycles, count);
    const workload = `${count} meters (${PROFILE_IDS.join(', ')}), RTU over TCP at ${BAUD} 8N1 with line-speed emulation, ${cycles} cycle(s)`;
    const lineNote = (r: { achieved: number; line: number; simLine: number }) =>
      `line maximum ${r.line.toFixed(2)} readings/s: ${LINE_NOTE}; the simulator's own timing allows ${r.simLine.toFixed(2)}/s (${((r.achieved / r.simLine) * 100).toFixed(1)} % used)`;
    const mergedShare = merged.achieved / merged.line;
    const singleShare = single.achieved / single.line;
    return [
      { what: 'readings/s achieved, merged reads', workload, value: merged.achieved, unit: '/s', baseline: { name: 'one request per quantity', value: single.achieved }, better: 'higher', note: `gapFill ${DEFAULT_GAP_FILL}, profile maxRegistersPerRead` },
      { what: 'share of the line maximum, merged reads', workload, value: mergedShare * 100, unit: '%', target: `≥ ${TARGET_SHARE * 100}`, meets: mergedShare >= TARGET_SHARE, better: 'higher', note: lineNote(merged) },
      {
        what: "share of the simulator's line timing, merged reads", workload, value: (merged.achieved / merged.simLine) * 100, unit: '%', target: `≥ ${TARGET_SHARE * 100}`,
        meets: merged.achieved / merged.simLine >= TARGET_SHARE, better: 'higher', note: 'the stricter figure: what is left is the agent\'s own time between a reply and its next request',
      },
      { what: 'share of the line maximum, one request per quantity', workload, value: singleShare * 100, unit: '%', target: `≥ ${TARGET_SHARE * 100}`, meets: singleShare >= TARGET_SHARE, better: 'higher', note: `gapFill 0, maxRegistersPerRead ${UNMERGED_MAX_REGISTERS}; ${lineNote(single)}` },
    ] satisfies Figure[];
  },
};
