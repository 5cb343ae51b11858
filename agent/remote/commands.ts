// Commands from the collector on `cmd`, each answered on `cmd/reply` with the same id.
// One small handler per command name; a failing command is a reply with ok:false and the
// reason, never a crash. Writing registers is refused unless the local file allows it.
import { SCHEMA_VERSION, type Command, type CommandReply } from '../../protocol/index.js';
import { isLogLevel, type Logger } from '../../lib/logger.js';
import type { PollerSet } from './poller-set.js';
import { scanBus } from './scan-bus.js';

export interface CommandContext {
  pollers: PollerSet;
  allowWrites: boolean;
  configFile: string;
  republishState(): void;
  setLogLevel(level: string): void;
  /** Runs `job` when no configuration change is under way, and holds changes back until it ends. */
  exclusive<T>(job: () => Promise<T>): Promise<T>;
  reply(reply: CommandReply): void;
  logger: Logger;
}

type Handler = (args: Record<string, unknown>, ctx: CommandContext) => Promise<unknown>;

const HANDLERS: Record<Command['name'], Handler> = {
  async read(args, ctx) {
    const meter = stringArg(args, 'meter');
    return ctx.pollers.pollerOf(meter)?.readNow(meter) ?? fail(`no bus of the running config has meter '${meter}'`);
  },
  async scan(args, ctx) {
    const busId = stringArg(args, 'bus');
    if (!ctx.pollers.bus(busId)) return fail(`no bus '${busId}' in the running config`);
    return ctx.exclusive(() => scanBus(ctx.pollers, busId, args));
  },
  async 'republish-state'(_args, ctx) {
    ctx.republishState();
    return { republished: true };
  },
  async 'set-log-level'(args, ctx) {
    const level = stringArg(args, 'level');
    if (!isLogLevel(level)) return fail(`args.level must be one of fatal, error, warn, info, debug, trace, silent; got '${level}'`);
    ctx.setLogLevel(level);
    return { level };
  },
  async write(args, ctx) {
    if (!ctx.allowWrites) return fail(`writing registers is off: set allowWrites: true in ${ctx.configFile} to allow it`);
    const meter = stringArg(args, 'meter');
    const address = args.address;
    const values = args.values;
    if (!Number.isInteger(address) || !Array.isArray(values) || !values.every(Number.isInteger)) {
      return fail('args.address must be an integer and args.values an array of integers (register values)');
    }
    const poller = ctx.pollers.pollerOf(meter) ?? fail(`no bus of the running config has meter '${meter}'`);
    await poller.write(meter, address as number, values as number[]);
    return { written: values.length };
  },
};

export async function runCommand(command: Command, ctx: CommandContext): Promise<void> {
  const base = { v: SCHEMA_VERSION, id: command.id } as const;
  try {
    const result = await HANDLERS[command.name](command.args, ctx);
    ctx.reply({ ...base, ok: true, result, t: Date.now() });
  } catch (error) {
    const message = (error as Error).message.slice(0, 1000);
    ctx.logger.warn({ command: command.name, id: command.id, err: message }, 'command failed');
    ctx.reply({ ...base, ok: false, error: message, t: Date.now() });
  }
}

function stringArg(args: Record<string, unknown>, name: string): string {
  const value = args[name];
  if (typeof value !== 'string' || value === '') fail(`args.${name} must be a non-empty string`);
  return value as string;
}

function fail(message: string): never {
  throw new Error(message);
}
