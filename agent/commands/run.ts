// `tandem agent run --config FILE` (also `tandem agent --config FILE`): runs the agent
// until SIGTERM or SIGINT, then stops polling, commits, closes MQTT cleanly and exits.
import { requireString, untilSignal, type Command, type CommandContext, type OptionSpec } from '../../lib/command.js';
import { createLogger } from '../../lib/logger.js';
import { loadAgentConfig } from '../config/load.js';
import { startAgent } from '../runtime.js';

/** A shutdown that takes longer than this is cut short (ms): everything kept is already committed. */
const STOP_LIMIT_MS = 10_000;

export const configOption: Record<'config', OptionSpec> = {
  config: { type: 'string', description: 'Agent configuration file, YAML or JSON (see agent/README.md)', valueName: 'FILE' },
};

export async function runAgent(ctx: CommandContext): Promise<number> {
  const config = loadAgentConfig(requireString(ctx.values, 'config'));
  const logger = createLogger('agent', config.logLevel);
  const agent = startAgent(config, logger);
  const signal = await untilSignal();
  logger.info({ signal }, 'stopping');
  const cutShort = setTimeout(() => {
    logger.error({ limitMs: STOP_LIMIT_MS }, 'shutdown took too long; exiting anyway (committed readings are safe)');
    process.exit(1);
  }, STOP_LIMIT_MS);
  process.once('SIGTERM', () => process.exit(1));
  process.once('SIGINT', () => process.exit(1));
  await agent.stop();
  clearTimeout(cutShort);
  return 0;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'Run the agent: poll the meters, keep every reading in the outbox, deliver it to the collector.',
  options: configOption,
  details: 'Stops cleanly on SIGTERM or SIGINT (a second signal exits at once). Logs are JSON lines on stderr.',
  run: runAgent,
};
