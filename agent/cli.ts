import type { Command } from '../lib/command.js';

export const agentCommand: Command = {
  name: 'agent',
  summary: 'The gateway program: poll meters, keep every reading, deliver it to the collector.',
  async run(ctx) {
    ctx.err('tandem agent: not built yet.');
    return 1;
  },
};
