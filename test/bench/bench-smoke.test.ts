// The benchmarks cannot rot: the whole suite runs in its quick smoke mode (tiny workloads,
// real processes and sockets) and every benchmark must print its table, none FAILED.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import t from 'tap';
import { formatTable, ratio, type Figure } from '../../bench/harness.js';

const RUN = fileURLToPath(new URL('../../dist/bench/run.js', import.meta.url));
const SUITE_TIMEOUT_MS = 120_000;

t.test('bench suite – quick mode gives every benchmark figures and no FAILED', { skip: existsSync(RUN) ? false : 'dist/bench/run.js missing: run npx tsc -p tsconfig.json first' }, async (t) => {
  const { stdout } = await promisify(execFile)(process.execPath, [RUN, '--quick'], { timeout: SUITE_TIMEOUT_MS, maxBuffer: 16 * 2 ** 20 });
  t.notMatch(stdout, /FAILED/, 'no benchmark failed');
  const file = /results: (\S+)/.exec(stdout)?.[1];
  t.ok(file && existsSync(file), 'results written to bench/results/');
  const { quick, results, machine } = JSON.parse(readFileSync(file!, 'utf8')) as { quick: boolean; machine: { commit: string }; results: Record<string, Figure[]> };
  t.equal(quick, true);
  t.ok(machine.commit, 'results are tagged with the commit');
  for (const name of ['agent-footprint', 'alert-latency', 'bus', 'ingest', 'live-models', 'node-red', 'outbox', 'wire']) {
    t.ok(Array.isArray(results[name]) && results[name]!.length > 0, `${name} produced figures`);
    t.match(stdout, `## ${name}\n`, `${name} printed its table`);
  }
  rmSync(file!);
});

t.test('bench table – ratio is ours over baseline the right way round, n/a for nothing measured', async (t) => {
  const figure = (value: number, baseline: number, better: Figure['better']): Figure => ({ what: 'x', workload: 'w', value, unit: 'u', baseline: { name: 'b', value: baseline }, better });
  t.equal(ratio(figure(20, 10, 'higher')), 2);
  t.equal(ratio(figure(10, 20, 'lower')), 2);
  t.equal(ratio(figure(NaN, 20, 'lower')), null);
  const table = formatTable('demo', [{ ...figure(NaN, 5, 'lower'), target: '< 2', meets: false, note: 'not wired yet' }]);
  t.match(table, /n\/a u/);
  t.match(table, /\[1\] x: not wired yet/);
});
