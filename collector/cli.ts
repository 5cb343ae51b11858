import type { Command } from '../lib/command.js';

export const collectorCommand: Command = {
  name: 'collector',
  summary: 'The cloud half: broker, ingest, store, registry, models, alerts, API and web page.',
  async run(ctx) {
    ctx.err('tandem collector: not built yet.');
    return 1;
  },
};
