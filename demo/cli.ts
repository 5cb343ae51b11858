import type { Command } from '../lib/command.js';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Run the whole chain on this machine: simulated factories, agents, collector and web page.',
  async run(ctx) {
    ctx.err('tandem demo: not built yet.');
    return 1;
  },
};
