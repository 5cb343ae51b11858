// The transport flags `tandem agent read` and `scan` share: exactly one of --tcp,
// --rtu-over-tcp, --serial (with --baud and --parity for a serial line).
import { intOption, parseHostPort, UsageError, type OptionSpec, type OptionValues } from '../../lib/command.js';
import type { Parity } from '../modbus/index.js';

export const PARITIES: readonly Parity[] = ['none', 'even', 'odd'];
/** Serial slave addresses (MODBUS over Serial Line v1.02 §2.2). */
export const UNIT_MIN = 1;
export const UNIT_MAX = 247;
const BAUD_MIN = 300;
const BAUD_MAX = 921600;

export const TARGET_OPTIONS: Record<string, OptionSpec> = {
  tcp: { type: 'string', valueName: 'HOST:PORT', description: 'Modbus TCP meter or gateway' },
  'rtu-over-tcp': { type: 'string', valueName: 'HOST:PORT', description: 'serial device server passing raw RTU frames over TCP' },
  serial: { type: 'string', valueName: 'PATH', description: 'RS-485 adapter, e.g. /dev/ttyUSB0' },
  baud: { type: 'string', valueName: 'N', description: 'serial baud rate' },
  parity: { type: 'string', valueName: 'P', description: `serial parity: ${PARITIES.join(', ')}` },
  timeout: { type: 'string', valueName: 'MS', description: 'per request timeout in ms' },
};

/** Where to talk; on a serial line the baud rate and parity may be left for scan to find. */
export type TargetChoice = { kind: 'tcp' | 'rtu-over-tcp'; host: string; port: number } | { kind: 'rtu'; path: string; baud?: number; parity?: Parity };

export function parseTarget(values: OptionValues): TargetChoice {
  const given = (['tcp', 'rtu-over-tcp', 'serial'] as const).filter((k) => values[k] !== undefined);
  if (given.length !== 1) throw new UsageError(`give exactly one of --tcp HOST:PORT, --rtu-over-tcp HOST:PORT, --serial PATH${given.length ? ` (got ${given.map((g) => `--${g}`).join(' and ')})` : ''}.`);
  const kind = given[0]!;
  const baud = intOption(values, 'baud', BAUD_MIN, BAUD_MAX);
  const parity = values.parity as Parity | undefined;
  if (parity !== undefined && !PARITIES.includes(parity)) throw new UsageError(`--parity must be one of ${PARITIES.join(', ')}, got '${String(parity)}'.`);
  if (kind === 'serial') return { kind: 'rtu', path: values.serial as string, ...(baud !== undefined && { baud }), ...(parity !== undefined && { parity }) };
  if (baud !== undefined || parity !== undefined) throw new UsageError('--baud and --parity are for --serial; a TCP gateway sets its own serial side.');
  return { kind: kind === 'tcp' ? 'tcp' : 'rtu-over-tcp', ...parseHostPort(values[kind] as string, kind) };
}

export function timeoutOption(values: OptionValues, fallbackMs: number): number {
  return intOption(values, 'timeout', 20, 30_000) ?? fallbackMs;
}
