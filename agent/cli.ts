import type { Command } from '../lib/command.js';
import { configOption, runAgent, runCommand } from './commands/run.js';
import { statusCommand } from './commands/status.js';
import { enrollCommand } from './commands/enroll.js';
import { readCommand } from './commands/read.js';
import { scanCommand } from './commands/scan.js';

export const agentCommand: Command = {
  name: 'agent',
  summary: 'The gateway program: poll meters, keep every reading, deliver it to the collector.',
  details: "`tandem agent --config FILE` is short for `tandem agent run --config FILE`.",
  options: configOption,
  subcommands: [runCommand, statusCommand, enrollCommand, readCommand, scanCommand],
  async run(ctx) {
    if (ctx.values.config === undefined) {
      ctx.err("tandem agent: give --config FILE to run the agent, or a command; see 'tandem agent --help'.");
      return 2;
    }
    return runAgent(ctx);
  },
};
