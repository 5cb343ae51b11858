// `npm run bench [-- [--quick] [NAME…]]`: runs each benchmark in bench/<name>/ in its own
// process, prints one table per benchmark and writes all figures to bench/results/.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable, machine, type Benchmark, type Figure } from './harness.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const RESULT_PREFIX = 'BENCH_RESULT ';

export function benchmarkNames(): string[] {
  return readdirSync(HERE, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(HERE, d.name, 'index.js')))
    .map((d) => d.name)
    .sort();
}

async function backgroundNames(names: string[]): Promise<string[]> {
  const flags = await Promise.all(
    names.map(async (name) => ((await import(`./${name}/index.js`)) as { benchmark: Benchmark }).benchmark.background === true),
  );
  return names.filter((_, i) => flags[i]);
}

function runOne(name: string, quick: boolean): Promise<{ figures: Figure[]; error?: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(HERE, 'run-one.js'), name, ...(quick ? ['--quick'] : [])], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code === 0 && line) resolve({ figures: JSON.parse(line.slice(RESULT_PREFIX.length)) as Figure[] });
      else resolve({ figures: [], error: `exited with ${code}${line ? '' : ', no result'}` });
    });
  });
}

async function main(argv: string[]): Promise<number> {
  const quick = argv.includes('--quick');
  const known = benchmarkNames();
  const asked = argv.filter((a) => !a.startsWith('--'));
  const unknown = asked.filter((a) => !known.includes(a));
  if (unknown.length) {
    process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')} (known: ${known.join(', ')})\n`);
    return 2;
  }
  const names = asked.length ? asked : known;
  const info = machine();
  process.stdout.write(`# Tandem benchmarks${quick ? ' (quick smoke mode: figures are not meaningful)' : ''}\n`);
  process.stdout.write(`# ${Object.entries(info).map(([k, v]) => `${k}=${v}`).join(' ')}\n\n`);
  const results: Record<string, Figure[] | { error: string }> = {};
  let failed = 0;
  const report = (name: string, seconds: number, { figures, error }: { figures: Figure[]; error?: string }) => {
    if (error) {
      failed++;
      results[name] = { error };
      process.stdout.write(`## ${name}\nFAILED: ${error}\n\n`);
      return;
    }
    results[name] = figures;
    process.stdout.write(`${formatTable(name, figures)}\n(${seconds.toFixed(1)} s)\n\n`);
  };
  // Long, nearly idle footprints run beside the rest (harness.ts Benchmark.background).
  const background = await backgroundNames(names);
  const beside = background.map((name) => {
    process.stderr.write(`bench: running ${name} in the background…\n`);
    const started = Date.now();
    return runOne(name, quick).then((outcome) => ({ name, seconds: (Date.now() - started) / 1000, outcome }));
  });
  for (const name of names.filter((n) => !background.includes(n))) {
    process.stderr.write(`bench: running ${name}…\n`);
    const started = Date.now();
    const outcome = await runOne(name, quick);
    report(name, (Date.now() - started) / 1000, outcome);
  }
  for (const { name, seconds, outcome } of await Promise.all(beside)) report(name, seconds, outcome);
  const dir = join(HERE, '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${info.commit}-${quick ? 'quick-' : ''}${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ machine: info, quick, results }, null, 2));
  process.stdout.write(`results: ${file}\n`);
  return failed ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
