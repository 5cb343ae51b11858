// `tandem sim history`: a site's readings over the last N days as JSON lines, with labels.
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { UsageError, intOption, requireString, type Command } from '../../lib/command.js';
import { simulateHistory } from '../site/history.js';
import { loadSite } from '../site/site-file.js';
import { writeState } from '../site/state-file.js';

const MAX_DAYS = 366;
/** Lines are gathered into writes of about this many bytes. */
const WRITE_CHUNK_BYTES = 1 << 20;

export const historyCommand: Command = {
  name: 'history',
  summary: "Write the readings a site's meters would have given over the last N days, and the ground truth.",
  options: {
    site: { type: 'string', valueName: 'FILE', description: 'Site file (YAML or JSON)' },
    days: { type: 'string', valueName: 'N', description: 'Days of history' },
    out: { type: 'string', valueName: 'FILE', description: 'Readings as JSON lines {meter,t,values} (default stdout)' },
    labels: { type: 'string', valueName: 'FILE', description: 'Labels, orders and notices as JSON' },
    end: { type: 'string', valueName: 'ISO', description: 'End of the history (default now)' },
    interval: { type: 'string', valueName: 'S', description: 'Seconds between readings (default 60)' },
    clean: { type: 'boolean', description: 'Ignore the scenario schedule: a run without injected faults' },
    state: { type: 'string', valueName: 'FILE', description: "Write the meters' final energy counters, for `sim site --state`" },
  },
  async run(ctx) {
    const site = loadSite(requireString(ctx.values, 'site'));
    const days = intOption(ctx.values, 'days', 1, MAX_DAYS);
    if (days === undefined) throw new UsageError('--days is required.');
    const end = ctx.values.end === undefined ? undefined : Date.parse(String(ctx.values.end));
    if (end !== undefined && Number.isNaN(end)) throw new UsageError(`--end must be an ISO time, got '${String(ctx.values.end)}'.`);
    const intervalS = intOption(ctx.values, 'interval', 1, 3600);
    const history = simulateHistory(site, {
      days,
      ...(end !== undefined && { end }),
      ...(intervalS !== undefined && { intervalS }),
      scenarios: !ctx.values.clean,
      onProgress: (day, total) => ctx.err(`tandem sim history: ${site.id}: day ${day}/${total}`),
    });
    const fd = typeof ctx.values.out === 'string' ? openSync(ctx.values.out, 'w') : 1;
    let chunk = '';
    let count = 0;
    for (const reading of history.readings) {
      chunk += JSON.stringify(reading) + '\n';
      count++;
      if (chunk.length >= WRITE_CHUNK_BYTES) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
    if (fd !== 1) closeSync(fd);
    const { labels, orders, notices } = history;
    if (typeof ctx.values.labels === 'string') {
      const truth = { enterpriseId: site.id, from: history.from, to: history.to, labels, orders, notices };
      writeFileSync(ctx.values.labels, JSON.stringify(truth, null, 1) + '\n');
    }
    if (typeof ctx.values.state === 'string') writeState(ctx.values.state, history.energyKwh(), history.to);
    ctx.err(`tandem sim history: ${site.id}: ${count} readings, ${labels.length} labels, ${orders.length} orders, ${notices.length} notices`);
    return 0;
  },
};
