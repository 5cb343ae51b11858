// Keeps the error-code catalogue (docs/errors.md) and the code in step, both ways.
import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;
const SOURCE_DIRS = ['lib', 'protocol', 'agent', 'collector', 'firmware-sim', 'demo'];
const CODE = /\bTANDEM_[A-Z0-9]+_[A-Z0-9_]+\b/g;

function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const inCode = new Map<string, string>();
for (const dir of SOURCE_DIRS) {
  for (const file of sourceFiles(join(ROOT, dir))) {
    for (const code of readFileSync(file, 'utf8').match(CODE) ?? []) {
      // TANDEM_LOG_LEVEL and friends are environment variables, not error codes.
      if (!inCode.has(code)) inCode.set(code, file.slice(ROOT.length));
    }
  }
}
const ENVIRONMENT_VARIABLES = new Set(['TANDEM_LOG_LEVEL', 'TANDEM_DEBUG']);
const docs = readFileSync(join(ROOT, 'docs/errors.md'), 'utf8');
const documented = new Set([...docs.matchAll(/^### (TANDEM_[A-Z0-9_]+)/gm)].map((m) => m[1]!));

t.test('error codes – every code in the source is documented in docs/errors.md', async (t) => {
  for (const [code, file] of inCode) {
    if (ENVIRONMENT_VARIABLES.has(code)) continue;
    t.ok(documented.has(code), `${code} (used in ${file}) has a "### ${code}" section`);
  }
});

t.test('error codes – every documented code is still used', async (t) => {
  for (const code of documented) t.ok(inCode.has(code), `${code} is documented but no source uses it`);
});
