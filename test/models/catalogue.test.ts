// The catalogue stays whole (STYLE.md "One folder per model"): the registry, the folders
// and DESIGN.md's ids agree; each folder has its model, README of fixed sections, golden
// cases and a test; every golden case still gives its expected alerts.
// UPDATE_GOLDEN=1 rewrites expected.json files (review the diff before committing).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'tap';
import { MODELS } from '../../collector/models/registry.js';
import { runScenario, summarize, type ScenarioSpec } from './fixture.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const MODELS_DIR = join(ROOT, 'collector/models');
const DESIGN_IDS = [
  'treatment-off',
  'out-of-sync',
  'treatment-weak',
  'frequent-cycling',
  'order-breach',
  'data-gap',
  'meter-integrity',
  'runtime-short',
  'energy-ratio-drop',
  'night-production',
  'consumption-surge',
  'treatment-degrading',
  'risk-ranking',
];
const README_SECTIONS = ['## Purpose', '## Inputs', '## Rule', '## Defaults', '## Resolves when'];

const folders = readdirSync(MODELS_DIR).filter((name) => statSync(join(MODELS_DIR, name)).isDirectory());

test('model catalogue – the registry lists the 13 DESIGN.md models in order, and exactly the model folders', async (t) => {
  t.same(
    MODELS.map((m) => m.id),
    DESIGN_IDS,
  );
  t.same([...folders].sort(), [...DESIGN_IDS].sort(), 'one folder per registered model, no other folders');
  t.equal(new Set(MODELS.map((m) => m.id)).size, MODELS.length, 'ids are unique');
  const catalogue = readFileSync(join(MODELS_DIR, 'README.md'), 'utf8');
  const rows = [...catalogue.matchAll(/^\| \[`([a-z-]+)`\]/gm)].map((m) => m[1]);
  t.same(rows, DESIGN_IDS, 'collector/models/README.md has a catalogue row for each, in order');
});

test('model catalogue – every folder has its model, a README of the fixed sections, golden cases and a test', async (t) => {
  for (const id of folders) {
    const dir = join(MODELS_DIR, id);
    t.ok(existsSync(join(dir, 'index.ts')), `${id}/index.ts`);
    const readme = existsSync(join(dir, 'README.md')) ? readFileSync(join(dir, 'README.md'), 'utf8') : '';
    const positions = README_SECTIONS.map((s) => readme.indexOf(`\n${s}\n`));
    t.ok(positions.every((p, i) => p > 0 && (i === 0 || p > positions[i - 1]!)), `${id}/README.md has ${README_SECTIONS.join(', ')} in order`);
    const model = MODELS.find((m) => m.id === id);
    for (const param of Object.keys(model?.defaults ?? {})) t.ok(readme.includes(`\`${param}\``), `${id}/README.md documents ${param}`);
    const cases = existsSync(join(dir, 'cases')) ? readdirSync(join(dir, 'cases')) : [];
    t.ok(cases.length > 0, `${id}/cases has scenarios`);
    for (const c of cases) {
      t.ok(existsSync(join(dir, 'cases', c, 'input.json')) && existsSync(join(dir, 'cases', c, 'expected.json')), `${id}/cases/${c} has input.json and expected.json`);
    }
    t.ok(existsSync(join(ROOT, 'test/models', `${id}.test.ts`)), `test/models/${id}.test.ts`);
  }
});

test('model catalogue – golden cases give their expected alerts', async (t) => {
  for (const model of MODELS) {
    const casesDir = join(MODELS_DIR, model.id, 'cases');
    if (!existsSync(casesDir)) continue;
    for (const c of readdirSync(casesDir)) {
      const spec = JSON.parse(readFileSync(join(casesDir, c, 'input.json'), 'utf8')) as ScenarioSpec;
      const actual = summarize(runScenario(model, spec));
      const expectedFile = join(casesDir, c, 'expected.json');
      if (process.env.UPDATE_GOLDEN) writeFileSync(expectedFile, JSON.stringify(actual, null, 1) + '\n');
      t.same(actual, JSON.parse(readFileSync(expectedFile, 'utf8')), `${model.id}/${c}`);
    }
  }
});
