// `tandem agent read`: one reading of one meter, decoded with its profile, with units and the
// hints a technician needs at the meter (DESIGN.md: the field technician checks each meter).
import { requireString, intOption, UsageError, type Command, type OptionValues } from '../../lib/command.js';
import { getProfile, QUANTITIES, QUANTITY_NAMES, type Profile, type Quantity } from '../../protocol/index.js';
import { createTransport, DEFAULT_TIMEOUT_MS, isNoAnswer, type TransportTarget } from '../modbus/index.js';
import { DEFAULT_GAP_FILL, MeterPlan, readMeter } from '../polling/meter-reader.js';
import type { PolledReading } from '../polling/index.js';
import { parseTarget, TARGET_OPTIONS, timeoutOption, UNIT_MAX, UNIT_MIN } from './bus-target.js';
import { sanityHints } from './read-hints.js';

const RETRIES = 1;

export const readCommand: Command = {
  name: 'read',
  summary: 'Read one meter once and print its values with units and sanity hints.',
  options: {
    ...TARGET_OPTIONS,
    unit: { type: 'string', valueName: 'N', description: `unit id ${UNIT_MIN}..${UNIT_MAX}` },
    profile: { type: 'string', valueName: 'NAME', description: 'meter profile, e.g. dtsu666' },
    pt: { type: 'string', valueName: 'RATIO', description: 'voltage transformer ratio, for profiles that apply it' },
    ct: { type: 'string', valueName: 'RATIO', description: 'current transformer ratio, for profiles that apply it' },
    json: { type: 'boolean', description: 'print one JSON object keyed by quantity' },
  },
  details: 'Example: tandem agent read --serial /dev/ttyUSB0 --baud 9600 --unit 1 --profile dtsu666',
  async run(ctx) {
    const choice = parseTarget(ctx.values);
    if (choice.kind === 'rtu' && choice.baud === undefined) throw new UsageError('--serial needs --baud (run `tandem agent scan` to find it).');
    const target = choice as TransportTarget;
    const unit = intOption(ctx.values, 'unit', UNIT_MIN, UNIT_MAX);
    if (unit === undefined) throw new UsageError('--unit is required.');
    const profile = profileOption(requireString(ctx.values, 'profile'));
    const ratios = { pt: ratioOption(ctx.values, 'pt'), ct: ratioOption(ctx.values, 'ct') };
    const transport = createTransport(target, { timeoutMs: timeoutOption(ctx.values, DEFAULT_TIMEOUT_MS) });
    await transport.connect();
    try {
      const plan = new MeterPlan({ id: `unit-${unit}`, unit, profile: profile.id, ...ratios }, profile, DEFAULT_GAP_FILL);
      const { reading, error } = await readMeter(transport, plan, RETRIES, Date.now);
      if (!reading) {
        const advice = isNoAnswer(error) ? ' Check the unit id, the A/B wiring, the baud rate and parity; `tandem agent scan` finds responding units.' : '';
        ctx.err(`tandem agent read: unit ${unit} on ${transport.description}: ${error?.message}.${advice}`);
        return 1;
      }
      const hints = sanityHints(reading.values, ratios);
      if (ctx.values.json) ctx.out(JSON.stringify(asJson(profile, reading, hints)));
      else for (const line of asText(profile, unit, transport.description, reading, hints)) ctx.out(line);
      return 0;
    } finally {
      await transport.close();
    }
  },
};

export function profileOption(id: string): Profile {
  try {
    return getProfile(id);
  } catch (error) {
    throw new UsageError(`--profile: ${(error as Error).message}.`);
  }
}

function ratioOption(values: OptionValues, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!(n > 0)) throw new UsageError(`--${name} must be a ratio > 0, got '${String(raw)}'.`);
  return n;
}

/** Digits that show the quantity's resolution (protocol/quantities.ts). */
export function formatValue(q: Quantity, value: number): string {
  return value.toFixed(Math.max(0, Math.round(-Math.log10(QUANTITIES[q].resolution))));
}

function present(profile: Profile): Quantity[] {
  return QUANTITY_NAMES.filter((q) => profile.points[q]);
}

function asJson(profile: Profile, reading: PolledReading, hints: Partial<Record<Quantity, string>>) {
  return Object.fromEntries(
    present(profile).map((q) => {
      const quality = reading.quality?.[q];
      const value = reading.values[q];
      return [q, { value: value === undefined ? null : Number(formatValue(q, value)), unit: QUANTITIES[q].unit, ...(quality && { quality }), ...(hints[q] && { hint: hints[q] }) }];
    }),
  );
}

function asText(profile: Profile, unit: number, where: string, reading: PolledReading, hints: Partial<Record<Quantity, string>>): string[] {
  const lines = [`unit ${unit} on ${where}, profile ${profile.id} (${profile.name}), read ${new Date(reading.t).toISOString()}`];
  for (const q of present(profile)) {
    const value = reading.values[q];
    const shown = value === undefined ? (reading.quality?.[q] ?? 'missing') : `${formatValue(q, value)} ${QUANTITIES[q].unit}`;
    lines.push(`  ${q.padEnd(3)} ${shown.padStart(16)}  ${QUANTITIES[q].label}`);
  }
  const notes = Object.entries(hints);
  if (notes.length > 0) lines.push('hints:', ...notes.map(([q, hint]) => `  ${q}: ${hint}`));
  return lines;
}
