// Shared shape of every benchmark: a scenario measures figures, each with the baseline
// run in the same process tree, and the harness prints a plain table and keeps JSON.
import os from 'node:os';
import { execFileSync } from 'node:child_process';

export interface Figure {
  /** What was measured, e.g. "uplink bytes per reading". */
  what: string;
  workload: string;
  value: number;
  unit: string;
  /** The naive or peer contender measured in the same run. */
  baseline?: { name: string; value: number };
  /** The DESIGN.md target, as text, e.g. "≤ 25". */
  target?: string;
  /** Whether the figure meets the target; absent when there is no target. */
  meets?: boolean;
  /** Lower is better (bytes, ms, MB) or higher is better (readings/s). */
  better: 'lower' | 'higher';
  /** A caveat printed under the table (how it was measured, what is missing). */
  note?: string;
}

export interface BenchOptions {
  /** Smoke mode: tiny workloads, seconds not minutes; run by the test suite so benches cannot rot. */
  quick: boolean;
}

export interface Benchmark {
  name: string;
  description: string;
  /**
   * Long and nearly idle (a footprint over minutes): run beside the others instead of after
   * them, so the suite fits its time budget. Its CPU is its own process time, which sharing
   * the machine barely changes; its event-loop delay can grow.
   */
  background?: boolean;
  run(options: BenchOptions): Promise<Figure[]>;
}

/** How many times better ours is than the baseline (>1 = ours better). */
export function ratio(figure: Figure): number | null {
  // NaN (nothing measured) travels through JSON as null.
  const ok = (n: number | null) => n !== null && Number.isFinite(n) && n !== 0;
  if (!figure.baseline || !ok(figure.value) || !ok(figure.baseline.value)) return null;
  return figure.better === 'lower' ? figure.baseline.value / figure.value : figure.value / figure.baseline.value;
}

function fmt(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return 'n/a';
  const abs = Math.abs(n);
  return abs >= 1000 ? Math.round(n).toLocaleString('en-US') : abs >= 10 ? n.toFixed(1) : n.toFixed(2);
}

export function formatTable(name: string, figures: Figure[]): string {
  const rows = [
    ['#', 'measured', 'workload', 'ours', 'baseline', 'ratio', 'target', 'meets'],
    ...figures.map((f, i) => {
      const r = ratio(f);
      return [
        String(i + 1),
        f.what,
        f.workload,
        `${fmt(f.value)} ${f.unit}`,
        f.baseline ? `${fmt(f.baseline.value)} ${f.unit} (${f.baseline.name})` : '–',
        r === null ? '–' : `${r.toFixed(2)}×`,
        f.target ?? '–',
        f.meets === undefined ? '–' : f.meets ? 'yes' : 'NO',
      ];
    }),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  const notes = figures.flatMap((f, i) => (f.note ? [`[${i + 1}] ${f.what}: ${f.note}`] : []));
  return [`## ${name}`, line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line), ...notes].join('\n');
}

export function machine(): Record<string, string | number> {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // not a git checkout: results are still useful, just untagged
  }
  return { commit, node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30) };
}
