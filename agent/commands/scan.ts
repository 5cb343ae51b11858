// `tandem agent scan`: which unit ids answer on a bus, at which serial settings, and which
// profile each one fits. Progress on stderr, findings on stdout; Ctrl-C stops after the
// request in flight and still prints what was found.
import { UsageError, type Command, type CommandContext } from '../../lib/command.js';
import { PROFILES, QUANTITIES, type Profile } from '../../protocol/index.js';
import { createTransport, hasCode, isNoAnswer, type Transport, type TransportTarget } from '../modbus/index.js';
import { parseTarget, TARGET_OPTIONS, timeoutOption, PARITIES, UNIT_MAX, UNIT_MIN, type TargetChoice } from './bus-target.js';
import { guessProfile, type Guess } from './profile-guess.js';
import { formatValue, profileOption } from './read.js';

/** Meters answer within tens of ms; a scan of 247 ids should not take minutes. */
const SCAN_TIMEOUT_MS = 300;
/** Tried in this order when --baud/--parity are not given: the common meter defaults first. */
const BAUD_RATES = [9600, 19200, 4800, 2400, 38400, 57600, 115200, 1200];
/** Serial settings are searched with the first ids of the range only (meters are mostly numbered from 1). */
const LINE_PROBE_UNITS = 8;
const EXIT_INTERRUPTED = 130;
/** Progress on a pipe (not a terminal): at most one line this often. */
const PIPE_EVERY_MS = 1000;

export const scanCommand: Command = {
  name: 'scan',
  summary: 'Find the unit ids that answer on a bus (on serial also baud rate and parity) and guess each profile.',
  options: {
    ...TARGET_OPTIONS,
    units: { type: 'string', valueName: 'A-B', description: 'unit ids to try, e.g. 1-10 or 1,5,7', default: `${UNIT_MIN}-${UNIT_MAX}` },
    profile: { type: 'string', valueName: 'NAME', description: 'only consider this profile' },
    json: { type: 'boolean', description: 'print the findings as one JSON array' },
  },
  details: `Without --baud/--parity on --serial, tries ${BAUD_RATES.join(', ')} baud × ${PARITIES.join('/')} parity on the first ${LINE_PROBE_UNITS} ids of the range. Ctrl-C stops cleanly.`,
  async run(ctx) {
    const choice = parseTarget(ctx.values);
    const units = parseUnits(String(ctx.values.units));
    const profiles = ctx.values.profile ? [profileOption(String(ctx.values.profile))] : [...PROFILES.values()];
    const timeoutMs = timeoutOption(ctx.values, SCAN_TIMEOUT_MS);
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
    const progress = progressLine(ctx);
    try {
      const target = choice.kind === 'rtu' ? await findLine(choice, units, profiles[0]!, timeoutMs, stop.signal, progress) : choice;
      if (!target) {
        progress.clear();
        ctx.err(stop.signal.aborted ? 'scan: interrupted.' : `scan: none of units ${units.slice(0, LINE_PROBE_UNITS).join(', ')} answered at any baud rate and parity tried. Check the A/B wiring, or give --baud and --parity.`);
        return stop.signal.aborted ? EXIT_INTERRUPTED : 1;
      }
      const found = await scanUnits(ctx, target, units, profiles, timeoutMs, stop.signal, progress);
      progress.clear();
      if (ctx.values.json) ctx.out(JSON.stringify(found.map((f) => asJson(target, f))));
      ctx.err(`scan: ${stop.signal.aborted ? 'interrupted; ' : ''}${found.length} unit(s) answered on ${describe(target)}${found.length ? `: ${found.map((f) => f.unit).join(', ')}` : ''}.`);
      return stop.signal.aborted ? EXIT_INTERRUPTED : 0;
    } finally {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    }
  },
};

interface Found {
  unit: number;
  guesses: Guess[];
}

async function scanUnits(ctx: CommandContext, target: TransportTarget, units: number[], profiles: Profile[], timeoutMs: number, signal: AbortSignal, progress: Progress): Promise<Found[]> {
  const transport = createTransport(target, { timeoutMs });
  await transport.connect();
  const found: Found[] = [];
  try {
    for (const [i, unit] of units.entries()) {
      if (signal.aborted) break;
      progress.update(`scan: ${describe(target)}: unit ${unit} (${i + 1} of ${units.length}), ${found.length} found`);
      if ((await probe(transport, unit, profiles[0]!)) !== 'answer') continue;
      const guesses = await guessProfile(transport, unit, profiles, () => signal.aborted);
      found.push({ unit, guesses });
      progress.clear();
      if (!ctx.values.json) ctx.out(describeFound(unit, guesses));
    }
  } finally {
    await transport.close();
  }
  return found;
}

/** Tries each baud rate and parity (those not given) until one of the first units answers. */
async function findLine(choice: Extract<TargetChoice, { kind: 'rtu' }>, units: number[], profile: Profile, timeoutMs: number, signal: AbortSignal, progress: Progress): Promise<TransportTarget | undefined> {
  for (const baud of choice.baud ? [choice.baud] : BAUD_RATES) {
    for (const parity of choice.parity ? [choice.parity] : PARITIES) {
      const target: TransportTarget = { kind: 'rtu', path: choice.path, baud, parity };
      const transport = createTransport(target, { timeoutMs });
      await transport.connect();
      try {
        for (const unit of units.slice(0, LINE_PROBE_UNITS)) {
          if (signal.aborted) return undefined;
          progress.update(`scan: ${describe(target)}: unit ${unit}?`);
          if ((await probe(transport, unit, profile)) === 'answer') return target;
        }
      } finally {
        await transport.close();
      }
    }
  }
  return undefined;
}

/** Any well-formed answer from the unit, even an exception, means a device has this id (MODBUS Application Protocol §7). */
async function probe(transport: Transport, unit: number, profile: Profile): Promise<'answer' | 'none'> {
  const point = Object.values(profile.points)[0]!;
  try {
    await transport.readRegisters(unit, point.fc, point.address, 1);
    return 'answer';
  } catch (error) {
    return hasCode(error, 'TANDEM_MODBUS_EXCEPTION') && !isNoAnswer(error) ? 'answer' : 'none';
  }
}

export function parseUnits(spec: string): number[] {
  const units = new Set<number>();
  for (const part of spec.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    const [from, to] = m ? [Number(m[1]), Number(m[2] ?? m[1])] : [NaN, NaN];
    if (!m || from < UNIT_MIN || to > UNIT_MAX || from > to) throw new UsageError(`--units must be ids ${UNIT_MIN}..${UNIT_MAX} like 1-10 or 1,5,7, got '${spec}'.`);
    for (let u = from; u <= to; u++) units.add(u);
  }
  return [...units].sort((a, b) => a - b);
}

function describe(target: TransportTarget): string {
  return target.kind === 'rtu' ? `${target.path} ${target.baud} ${(target.parity ?? 'none')[0]!.toUpperCase()}` : `${target.kind} ${target.host}:${target.port}`;
}

function describeFound(unit: number, guesses: Guess[]): string {
  const best = guesses[0];
  if (!best || best.plausible === 0) return `unit ${unit}: answers, but no profile reads plausible values${best ? ` (best: ${best.profile.id}, ${best.plausible} of ${best.of})` : ''}`;
  const tied = guesses.filter((g) => g.plausible * best.of === best.plausible * g.of && g !== best).map((g) => g.profile.id);
  const values = (['u1', 'i1', 'p', 'f'] as const).filter((q) => best.reading?.values[q] !== undefined).map((q) => `${q} ${formatValue(q, best.reading!.values[q]!)} ${QUANTITIES[q].unit}`);
  return `unit ${unit}: ${best.profile.id} (${best.profile.name}), ${best.plausible} of ${best.of} values plausible${tied.length ? `; as plausible: ${tied.join(', ')}` : ''}: ${values.join(', ')}`;
}

function asJson(target: TransportTarget, { unit, guesses }: Found) {
  const best = guesses[0];
  const profile = best && best.plausible > 0 ? best.profile.id : null;
  return { unit, ...(target.kind === 'rtu' && { baud: target.baud, parity: target.parity }), profile, plausible: best?.plausible ?? 0, of: best?.of ?? 0, values: best?.reading?.values ?? {} };
}

interface Progress {
  update(text: string): void;
  clear(): void;
}

/** One rewritten line on a terminal; on a pipe, a line now and then so logs stay short. */
function progressLine(ctx: CommandContext): Progress {
  const tty = process.stderr.isTTY === true;
  let shown = false;
  let lastPipeT = 0;
  return {
    update(text) {
      if (tty) {
        process.stderr.write(`\r\x1b[K${text}`);
        shown = true;
      } else if (Date.now() - lastPipeT >= PIPE_EVERY_MS) {
        lastPipeT = Date.now();
        ctx.err(text);
      }
    },
    clear() {
      if (tty && shown) process.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}
