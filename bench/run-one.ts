// Child process of bench/run.ts: runs one benchmark and prints its figures as one JSON line.
import type { Benchmark } from './harness.js';

const [name, ...flags] = process.argv.slice(2);
const module = (await import(`./${name}/index.js`)) as { benchmark: Benchmark };
const figures = await module.benchmark.run({ quick: flags.includes('--quick') });
process.stdout.write(`BENCH_RESULT ${JSON.stringify(figures)}\n`);
// Benchmarks close what they open; exit anyway so a forgotten timer cannot hang the run.
process.exit(0);
