// `tandem sim site`: a whole factory from a site file, until stopped.
import { UsageError, requireString, untilSignal, type Command } from '../../lib/command.js';
import { listenForCommands, type ControlCommand } from '../control.js';
import { loadSite } from '../site/site-file.js';
import { runSite, type RunningSite } from '../site/run-site.js';

export const siteCommand: Command = {
  name: 'site',
  summary: "Run a whole factory from a site file: every bus, meters following the plant's load, scenarios on schedule.",
  options: {
    site: { type: 'string', valueName: 'FILE', description: 'Site file (YAML or JSON)' },
    labels: { type: 'string', valueName: 'FILE', description: 'Ground-truth file, rewritten as scenarios begin and end' },
    state: { type: 'string', valueName: 'FILE', description: 'Keep energy counters here across restarts' },
    'free-ports': { type: 'boolean', description: "Listen on free ports instead of the site file's" },
    host: { type: 'string', valueName: 'HOST', description: "Listen on HOST instead of the site file's hosts" },
    serial: { type: 'string', multiple: true, valueName: 'BUS=PATH', description: 'Serve serial bus BUS on PATH instead' },
    'no-scenarios': { type: 'boolean', description: 'Ignore the scheduled scenarios' },
  },
  details: [
    'Prints "listening URL bus=ID" per bus, then "ready". Control commands on stdin, one per line:',
    '  scenario KIND TARGET [minutes=N] [notice=REASON] [key=value…]   start a scenario now',
    '  fault METER KIND [minutes=N] [key=value…]                        a meter fault now',
    '  clear ID|TARGET|all    status',
    'TARGET is a facility id, a meter id, or "site" for orders. See firmware-sim/README.md.',
  ].join('\n'),
  async run(ctx) {
    const site = loadSite(requireString(ctx.values, 'site'));
    const serialPaths: Record<string, string> = {};
    for (const pair of (ctx.values.serial ?? []) as string[]) {
      const m = /^([^=]+)=(.+)$/.exec(pair);
      if (!m || !site.buses.some((b) => b.id === m[1] && b.kind === 'rtu')) throw new UsageError(`--serial must be BUS=PATH for a serial bus of the site, got '${pair}'.`);
      serialPaths[m[1]] = m[2];
    }
    const running = await runSite(site, {
      ...(typeof ctx.values.labels === 'string' && { labelsFile: ctx.values.labels }),
      ...(typeof ctx.values.state === 'string' && { stateFile: ctx.values.state }),
      ...(typeof ctx.values.host === 'string' && { host: ctx.values.host }),
      freePorts: ctx.values['free-ports'] === true,
      serialPaths,
      scenarios: !ctx.values['no-scenarios'],
    });
    for (const b of running.buses) ctx.out(`listening ${b.url} bus=${b.id}`);
    ctx.out('ready');
    const stop = listenForCommands(process.stdin, (c) => control(running, c), ctx.out);
    await untilSignal();
    stop();
    await running.close();
    return 0;
  },
};

function control(running: RunningSite, c: ControlCommand): string {
  const { minutes, notice, ...params } = c.params;
  const length = minutes === undefined ? {} : { minutes: Number(minutes) };
  const numeric = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v === 'true' ? true : v === 'false' ? false : Number(v)]));
  const declared = notice === undefined ? {} : { notice };
  switch (c.verb) {
    case 'scenario': {
      const [kind, target] = c.args;
      const where = target === undefined || target === 'site' ? {} : running.site.meters.some((m) => m.id === target) ? { meter: target } : { facility: target };
      return `ok ${running.inject({ kind: kind ?? '', ...where, ...length, ...declared, params: numeric })}`;
    }
    case 'fault': {
      const [meter, kind] = c.args;
      return `ok ${running.inject({ kind: kind ?? '', meter, ...length, ...declared, params: numeric })}`;
    }
    case 'clear':
      return `ok cleared ${running.clear(c.args[0] ?? '')}`;
    case 'status': {
      const t = Date.now();
      const active = running.plant.scenarios.filter((a) => a.from <= t && a.to > t).map((a) => ({ id: a.spec.id, kind: a.spec.kind, until: Number.isFinite(a.to) ? a.to : null }));
      return JSON.stringify({ site: running.site.id, buses: running.buses.map((b) => ({ id: b.id, url: b.url, requests: b.bus.requests })), active });
    }
    default:
      return `error: unknown command '${c.verb}' (scenario, fault, clear, status)`;
  }
}
