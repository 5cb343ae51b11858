// `tandem`: one CLI, one subcommand per part of the system.
import { runCommand, type Command, type CommandIo } from './command.js';
import { agentCommand } from '../agent/cli.js';
import { collectorCommand } from '../collector/cli.js';
import { simCommand } from '../firmware-sim/cli.js';
import { demoCommand } from '../demo/cli.js';

export const tandemCommand: Command = {
  name: 'tandem',
  summary: 'Tandem: see from electricity alone whether pollution control runs whenever production runs.',
  subcommands: [agentCommand, collectorCommand, simCommand, demoCommand],
};

export async function main(argv: string[], io?: CommandIo): Promise<number> {
  try {
    return await runCommand(tandemCommand, argv, io);
  } catch (error) {
    const err = error as Error & { code?: string };
    process.stderr.write(`tandem: ${err.code ? `${err.code}: ` : ''}${err.message}\n`);
    if (process.env.TANDEM_DEBUG) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}
