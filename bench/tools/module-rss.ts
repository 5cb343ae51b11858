// `node --expose-gc dist/bench/tools/module-rss.js`: resident memory after loading, one by
// one, what the agent process loads — how much of its RSS is code before any work.
const MODULES: [string, string][] = [
  ['better-sqlite3', 'better-sqlite3'],
  ['mqtt', 'mqtt'],
  ['pino', 'pino'],
  ['@sinclair/typebox', '@sinclair/typebox'],
  ['yaml', 'yaml'],
  ['protocol/', '../../protocol/index.js'],
  ['agent runtime', '../../agent/runtime.js'],
  ['the whole CLI (lib/main)', '../../lib/main.js'],
];

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1).padStart(6);
const line = (name: string) => {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  process.stdout.write(`${name.padEnd(26)} rss ${mb(m.rss)} MB  heapUsed ${mb(m.heapUsed)} MB  external ${mb(m.external)} MB\n`);
};

line('node alone');
for (const [name, specifier] of MODULES) {
  await import(specifier);
  line(`+ ${name}`);
}
