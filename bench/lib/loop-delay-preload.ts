// Preloaded into a contender's process (`node --import`): measures its event-loop delay
// with perf_hooks and writes the histogram, and where its memory is (process.memoryUsage at
// exit), to $TANDEM_BENCH_LOOP_FILE when it exits, so the program under test runs unchanged.
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.TANDEM_BENCH_LOOP_FILE;
const NS_PER_MS = 1e6;
/** Sampling resolution of the histogram (ms). */
const RESOLUTION_MS = 10;

if (file) {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  process.once('exit', () => {
    histogram.disable();
    const ms = (ns: number) => ns / NS_PER_MS;
    const memory = Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round(v / 2 ** 20)]));
    writeFileSync(file, JSON.stringify({ p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), mean: ms(histogram.mean), memoryMB: memory }));
  });
}
