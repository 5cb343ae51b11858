import type { Command } from '../lib/command.js';

export const simCommand: Command = {
  name: 'sim',
  summary: 'Simulated meters and whole factories on Modbus TCP, RTU and RTU over TCP.',
  async run(ctx) {
    ctx.err('tandem sim: not built yet.');
    return 1;
  },
};
