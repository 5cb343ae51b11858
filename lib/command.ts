// A small command tree over node:util parseArgs: every level answers --help, unknown
// subcommands and flags are usage errors (exit 2) that name what was wrong.
import { parseArgs } from 'node:util';

export interface OptionSpec {
  type: 'string' | 'boolean';
  description: string;
  multiple?: boolean;
  short?: string;
  default?: string | boolean;
  /** Placeholder shown in help, e.g. FILE or HOST:PORT. */
  valueName?: string;
}

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandContext {
  /** The words that led here, e.g. ['tandem', 'agent', 'read']. */
  path: string[];
  values: OptionValues;
  positionals: string[];
  out: (line: string) => void;
  err: (line: string) => void;
}

export interface Command {
  name: string;
  summary: string;
  /** Extra help text printed after the option list. */
  details?: string;
  /** Shape of positional arguments for the usage line, e.g. '[FILE]'. */
  positionals?: string;
  options?: Record<string, OptionSpec>;
  subcommands?: Command[];
  run?: (ctx: CommandContext) => Promise<number>;
}

/** Thrown by a command for a wrong flag value; printed with a hint to --help, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export interface CommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const defaultIo: CommandIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

export async function runCommand(
  command: Command,
  argv: string[],
  io: CommandIo = defaultIo,
  path: string[] = [command.name],
): Promise<number> {
  const [first, ...rest] = argv;
  const sub = command.subcommands?.find((c) => c.name === first);
  if (sub) return runCommand(sub, rest, io, [...path, sub.name]);

  if (first === '--help' || first === '-h' || first === 'help') {
    io.out(helpText(command, path));
    return EXIT_OK;
  }
  if (!command.run) {
    if (first === undefined) {
      io.out(helpText(command, path));
      return EXIT_USAGE;
    }
    io.err(`${path.join(' ')}: unknown subcommand '${first}'. Run '${path.join(' ')} --help' for the list.`);
    return EXIT_USAGE;
  }

  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, spec] of Object.entries(command.options ?? {})) {
    options[name] = { type: spec.type, ...(spec.multiple ? { multiple: true } : {}), ...(spec.short ? { short: spec.short } : {}) };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: command.positionals !== undefined });
  } catch (error) {
    io.err(`${path.join(' ')}: ${(error as Error).message.split('\n')[0]} Run '${path.join(' ')} --help' for usage.`);
    return EXIT_USAGE;
  }
  if (parsed.values.help) {
    io.out(helpText(command, path));
    return EXIT_OK;
  }
  const values: OptionValues = { ...parsed.values };
  for (const [name, spec] of Object.entries(command.options ?? {})) {
    if (values[name] === undefined && spec.default !== undefined) values[name] = spec.default;
  }
  try {
    return await command.run({ path, values, positionals: parsed.positionals, ...io });
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${path.join(' ')}: ${error.message} Run '${path.join(' ')} --help' for usage.`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

export function helpText(command: Command, path: string[]): string {
  const lines: string[] = [];
  const words = path.join(' ');
  if (command.subcommands?.length && !command.run) {
    lines.push(`Usage: ${words} <command> [options]`, '', command.summary, '', 'Commands:');
    const width = Math.max(...command.subcommands.map((c) => c.name.length));
    for (const sub of command.subcommands) lines.push(`  ${sub.name.padEnd(width)}  ${sub.summary}`);
    lines.push('', `Run '${words} <command> --help' for a command's options.`);
    return lines.join('\n');
  }
  const subs = command.subcommands?.length ? ' [<command>]' : '';
  lines.push(`Usage: ${words}${subs} [options]${command.positionals ? ' ' + command.positionals : ''}`, '', command.summary);
  if (command.subcommands?.length) {
    lines.push('', 'Commands:');
    const width = Math.max(...command.subcommands.map((c) => c.name.length));
    for (const sub of command.subcommands) lines.push(`  ${sub.name.padEnd(width)}  ${sub.summary}`);
  }
  const entries = Object.entries(command.options ?? {});
  lines.push('', 'Options:');
  const flag = (name: string, spec: OptionSpec) =>
    `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : ''}`;
  const width = Math.max(10, ...entries.map(([n, s]) => flag(n, s).length));
  for (const [name, spec] of entries) {
    const extra = [spec.multiple ? 'repeatable' : '', spec.default !== undefined ? `default ${String(spec.default)}` : '']
      .filter(Boolean)
      .join(', ');
    lines.push(`  ${flag(name, spec).padEnd(width)}  ${spec.description}${extra ? ` (${extra})` : ''}`);
  }
  lines.push(`  ${'-h, --help'.padEnd(width)}  Show this help`);
  if (command.details) lines.push('', command.details);
  return lines.join('\n');
}

/** Reads a string option that must be present. */
export function requireString(values: OptionValues, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required.`);
  return value;
}

/** Parses an integer option within [min, max]; undefined when absent. */
export function intOption(values: OptionValues, name: string, min: number, max: number): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got '${String(raw)}'.`);
  }
  return n;
}

/** Splits HOST:PORT (IPv6 in brackets allowed). */
export function parseHostPort(value: string, flag: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port < 0 || port > 65535) {
    throw new UsageError(`--${flag} must be HOST:PORT (e.g. 127.0.0.1:5020), got '${value}'.`);
  }
  return { host: match[1] ?? match[2]!, port };
}

/** Resolves when the process receives SIGINT or SIGTERM. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals) => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(signal);
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
