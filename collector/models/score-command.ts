// `tandem collector score`: the models scored on simulated sites with ground truth
// (collector/models/score.ts). The collector's cli.ts mounts it as a subcommand.
import { intOption, UsageError, type Command } from '../../lib/command.js';
import { exampleSiteFiles, loadSite, type Site } from '../../firmware-sim/index.js';
import { DEFAULT_TIME_ZONE, localDayStart } from './local-time.js';
import { formatScore, score } from './score.js';

const MAX_DAYS = 365;
const MAX_LISTED = 20;

function parseEnd(value: unknown): number {
  if (value === undefined) return localDayStart(Date.now(), DEFAULT_TIME_ZONE);
  const end = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(end)) throw new UsageError(`--end must be an ISO time like 2026-11-30T16:00:00Z, got '${String(value)}'.`);
  return end;
}

const iso = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');

export const scoreCommand: Command = {
  name: 'score',
  summary: 'Score the models on simulated sites with injected faults (ground-truth labels).',
  options: {
    site: { type: 'string', multiple: true, valueName: 'FILE', description: 'site file (default: every firmware-sim/sites/*.yaml)' },
    days: { type: 'string', valueName: 'N', default: '30', description: 'days of history' },
    end: { type: 'string', valueName: 'ISO', description: 'end of the history (default: last local midnight, Asia/Shanghai)' },
    clean: { type: 'boolean', description: 'play no scenario: a clean run, every alert is false' },
    notices: { type: 'boolean', description: 'declare a notice over every scenario: alerts should come out declared' },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  details:
    'Columns: cases (labels expecting the model), detected, missed, declared (cases under a notice whose alert was declared),\n' +
    'false (alerts overlapping no label), consequence (alerts overlapping a label of another kind), alerts (all),\n' +
    'median delay (from the case start to when the rule was met).',
  async run(ctx) {
    const days = intOption(ctx.values, 'days', 1, MAX_DAYS) ?? 30;
    const end = parseEnd(ctx.values.end);
    if (ctx.values.clean && ctx.values.notices) throw new UsageError('--clean and --notices exclude each other (a clean run has no scenario to declare).');
    const files = (ctx.values.site as string[] | undefined) ?? exampleSiteFiles();
    let sites: Site[];
    try {
      sites = files.map((f) => loadSite(f));
    } catch (error) {
      ctx.err(`${ctx.path.join(' ')}: ${(error as Error).message}`);
      return 1;
    }
    const result = await score({ sites, days, end, scenarios: !ctx.values.clean, notices: Boolean(ctx.values.notices) });
    if (ctx.values.json) {
      ctx.out(JSON.stringify({ rows: result.rows, missed: result.missed, falseAlerts: result.falseAlerts, readings: result.readings }, null, 2));
      return 0;
    }
    const mode = ctx.values.clean ? 'clean (no scenario)' : ctx.values.notices ? 'scenarios, each under a notice' : 'scenarios';
    ctx.out(`${sites.map((s) => s.id).join(', ')}: ${days} days to ${iso(end)} UTC, ${mode}`);
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    ctx.out(`${result.readings} readings, ${result.labels.length} labels, ${seconds(result.elapsedMs)} s (models ${seconds(result.evaluateMs)} s)`);
    ctx.out('');
    for (const line of formatScore(result)) ctx.out(line);
    for (const m of result.missed.slice(0, MAX_LISTED)) {
      ctx.out(`missed ${m.model}: ${m.label.kind} ${m.label.facility ?? m.label.meter ?? m.label.enterpriseId} ${iso(m.label.from)}–${iso(m.label.to)}`);
    }
    for (const a of result.falseAlerts.slice(0, MAX_LISTED)) ctx.out(`false ${a.key} to ${iso(a.to)} ${JSON.stringify(a.evidence)}`);
    return 0;
  },
};
