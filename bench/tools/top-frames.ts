// `node dist/bench/tools/top-frames.js FILE.cpuprofile [N]`: the functions a V8 CPU profile
// (node --cpu-prof) spent most time in — self time, and inclusive time of this project's
// own functions — so a missed target can be traced to code.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

export interface FrameTime {
  frame: string;
  ms: number;
  share: number;
}

const DEFAULT_TOP = 15;

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^file:\/\/.*?\/(dist|node_modules)\//, '$1/');
  return `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
}

export function topFrames(profile: CpuProfile, top = DEFAULT_TOP): { self: FrameTime[]; ours: FrameTime[]; totalMs: number } {
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const sampleMs = totalMs / Math.max(1, profile.samples.length);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  // Inclusive time counts a function once per stack even when it recurses.
  const walk = (node: ProfileNode, onStack: Set<string>): number => {
    const name = label(node);
    let ms = (node.hitCount ?? 0) * sampleMs;
    self.set(name, (self.get(name) ?? 0) + ms);
    const nested = new Set(onStack).add(name);
    for (const child of node.children ?? []) ms += walk(byId.get(child)!, nested);
    if (!onStack.has(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
    return ms;
  };
  walk(profile.nodes[0]!, new Set());
  const rank = (m: Map<string, number>, keep: (f: string) => boolean) =>
    [...m].filter(([f]) => keep(f)).sort((a, b) => b[1] - a[1]).slice(0, top).map(([frame, ms]) => ({ frame, ms, share: ms / totalMs }));
  return { self: rank(self, () => true), ours: rank(inclusive, (f) => f.includes('dist/') && !f.includes('dist/bench/')), totalMs };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, n] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node dist/bench/tools/top-frames.js FILE.cpuprofile [N]\n');
    process.exit(2);
  }
  const { self, ours, totalMs } = topFrames(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, n ? Number(n) : DEFAULT_TOP);
  const print = (title: string, rows: FrameTime[]) => {
    process.stdout.write(`${title}\n`);
    for (const r of rows) process.stdout.write(`${(r.share * 100).toFixed(1).padStart(5)} %  ${r.ms.toFixed(0).padStart(7)} ms  ${r.frame}\n`);
  };
  process.stdout.write(`profile: ${(totalMs / 1000).toFixed(1)} s\n`);
  print('self time:', self);
  print("inclusive time, this project's functions:", ours);
}
