// Scoring on 30 simulated days of the three example sites (firmware-sim, real steel-plant
// load): the must-show of issue 6. Each run replays ~730,000 readings (~15 s).
import { test } from 'tap';
import { loadSite } from '../../firmware-sim/index.js';
import { runCommand } from '../../lib/command.js';
import { scoreCommand } from '../../collector/models/score-command.js';
import { score } from '../../collector/models/score.js';

const END = Date.parse('2026-11-30T16:00:00Z');
const sites = ['steel-rolling', 'cement-plant', 'furniture-spray'].map((s) =>
  loadSite(new URL(`../../firmware-sim/sites/${s}.yaml`, import.meta.url).pathname),
);
const MUST_STAY_QUIET = ['treatment-off', 'out-of-sync', 'treatment-weak', 'frequent-cycling', 'order-breach', 'runtime-short'];

test('scoring – 30 days with injected faults: every labelled case is detected, no alert outside a label', async (t) => {
  const result = await score({ sites, days: 30, end: END });
  const detectors = result.rows.filter((r) => r.model !== 'risk-ranking');
  t.ok(result.labels.length > 40, `${result.labels.length} labels`);
  for (const row of detectors) {
    t.equal(row.missed, 0, `${row.model}: ${row.detected}/${row.cases} detected`);
    t.equal(row.falseAlerts, 0, `${row.model}: no false alert`);
  }
  for (const model of ['treatment-off', 'out-of-sync', 'treatment-weak', 'frequent-cycling', 'order-breach', 'data-gap', 'meter-integrity', 'night-production']) {
    t.ok(result.rows.find((r) => r.model === model)!.cases > 0, `${model} has injected cases`);
  }
});

test('scoring – a clean month raises none of the six violation models', async (t) => {
  const result = await score({ sites, days: 30, end: END, scenarios: false });
  for (const model of MUST_STAY_QUIET) t.equal(result.rows.find((r) => r.model === model)!.alerts, 0, `${model} quiet`);
  const others = result.alerts.filter((a) => a.model !== 'risk-ranking');
  t.same(others.map((a) => a.key), [], 'nor any other detector');
  t.equal(result.rows.find((r) => r.model === 'risk-ranking')!.alerts, 3 * 30, 'risk-ranking lists each enterprise each day');
});

test('scoring – the same faults under notices come out declared', async (t) => {
  const result = await score({ sites, days: 30, end: END, notices: true });
  for (const row of result.rows.filter((r) => r.cases > 0)) t.equal(row.declared, row.cases, `${row.model}: ${row.declared}/${row.cases} declared`);
});

test('tandem collector score – prints the table for a short run; bad flags are usage errors', async (t) => {
  const out: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
  const path = ['tandem', 'collector', 'score'];
  const site = new URL('../../firmware-sim/sites/steel-rolling.yaml', import.meta.url).pathname;
  t.equal(await runCommand(scoreCommand, ['--site', site, '--days', '2', '--end', '2026-11-30T16:00:00Z'], io, path), 0);
  t.match(out.join('\n'), /model\s+cases\s+detected\s+missed\s+declared\s+false\s+consequence\s+alerts\s+median delay/);
  t.match(out.join('\n'), /hn-rolling-02: 2 days/);
  out.length = 0;
  t.equal(await runCommand(scoreCommand, ['--days', '0'], io, path), 2);
  t.match(out.join('\n'), /--days must be a whole number from 1 to 365/);
  out.length = 0;
  t.equal(await runCommand(scoreCommand, ['--end', 'yesterday'], io, path), 2);
  t.match(out.join('\n'), /--end must be an ISO time/);
  out.length = 0;
  t.equal(await runCommand(scoreCommand, ['--site', '/nonexistent.yaml'], io, path), 1);
  t.match(out.join('\n'), /nonexistent\.yaml/);
});
