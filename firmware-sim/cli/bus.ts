// `tandem sim bus`: meters on one endpoint until stopped.
import { UsageError, intOption, parseHostPort, untilSignal, type Command, type OptionValues } from '../../lib/command.js';
import { createLogger, type Logger } from '../../lib/logger.js';
import { PROFILE_IDS } from '../../protocol/index.js';
import { startBus, type BusTransport } from '../bus.js';
import { listenForCommands, type ControlCommand } from '../control.js';
import { parseFault } from '../meter/faults.js';
import type { MeterOptions } from '../meter/emulator.js';
import type { Parity } from '../modbus/line-timing.js';

const PARITIES: readonly Parity[] = ['none', 'even', 'odd'];
const MAX_BAUD = 921_600;
const MIN_BAUD = 300;

function transportOf(values: OptionValues): BusTransport {
  const given = (['tcp', 'rtu-over-tcp', 'serial'] as const).filter((k) => values[k] !== undefined);
  if (given.length !== 1) throw new UsageError(`give exactly one of --tcp, --rtu-over-tcp, --serial${given.length ? ` (got ${given.map((g) => `--${g}`).join(', ')})` : ''}.`);
  const parity = (values.parity ?? 'none') as Parity;
  if (!PARITIES.includes(parity)) throw new UsageError(`--parity must be none, even or odd, got '${String(values.parity)}'.`);
  const baud = intOption(values, 'baud', MIN_BAUD, MAX_BAUD) ?? 9600;
  const kind = given[0];
  if (kind === 'serial') return { kind: 'rtu', path: String(values.serial), baud, parity };
  return { kind, ...parseHostPort(String(values[kind]), kind), baud, parity };
}

/** UNIT:PROFILE[:KW] */
export function parseMeterFlag(value: string): MeterOptions {
  const match = /^(\d{1,3}):([a-z0-9-]+)(?::(\d+(?:\.\d+)?))?$/.exec(value);
  if (!match) throw new UsageError(`--meter must be UNIT:PROFILE[:KW] (e.g. 1:dtsu666:55), got '${value}'.`);
  const unit = Number(match[1]);
  if (unit < 1 || unit > 247) throw new UsageError(`--meter ${value}: unit must be 1..247.`);
  if (!PROFILE_IDS.includes(match[2])) throw new UsageError(`--meter ${value}: unknown profile '${match[2]}' (known: ${PROFILE_IDS.join(', ')}).`);
  return { unit, profile: match[2], kw: match[3] === undefined ? 0 : Number(match[3]) };
}

export const busCommand: Command = {
  name: 'bus',
  summary: 'Serve simulated meters on Modbus TCP, RTU over TCP or a serial device until stopped.',
  options: {
    tcp: { type: 'string', valueName: 'HOST:PORT', description: 'Serve Modbus TCP (port 0: a free port)' },
    'rtu-over-tcp': { type: 'string', valueName: 'HOST:PORT', description: 'Serve raw RTU frames over TCP, like a serial converter' },
    serial: { type: 'string', valueName: 'PATH', description: 'Serve Modbus RTU on a serial device' },
    baud: { type: 'string', valueName: 'N', description: 'Baud rate of the (emulated) serial line (default 9600)' },
    parity: { type: 'string', valueName: 'none|even|odd', description: 'Parity of the serial line (default none)' },
    meter: { type: 'string', multiple: true, valueName: 'UNIT:PROFILE[:KW]', description: 'A meter on the bus' },
    pf: { type: 'string', valueName: 'PF', description: 'Power factor of every meter (default 0.9)' },
    energy: { type: 'string', valueName: 'KWH', description: 'Import energy every meter starts from (default 0)' },
    steady: { type: 'boolean', description: 'No jitter: the same load always reads the same values' },
    'no-line-speed': { type: 'boolean', description: 'Reply to RTU at once instead of at the line time' },
  },
  details: [
    'Prints one line "listening URL" on stdout once it serves. Reads control commands on stdin,',
    'one per line: fault UNIT KIND [key=value…] | clear UNIT | load UNIT KW [PF] | status.',
    'Faults: silent, slow delayMs=N, bad-crc, exception code=N, energy-reset, reversed-ct,',
    'lost-phase phase=N, frozen. See firmware-sim/README.md.',
  ].join('\n'),
  async run(ctx) {
    const transport = transportOf(ctx.values);
    const flags = (ctx.values.meter ?? []) as string[];
    if (flags.length === 0) throw new UsageError('give at least one --meter UNIT:PROFILE[:KW].');
    const pf = ctx.values.pf === undefined ? undefined : Number(ctx.values.pf);
    if (pf !== undefined && !(pf > 0 && pf <= 1)) throw new UsageError(`--pf must be a number in (0, 1], got '${String(ctx.values.pf)}'.`);
    const energyKwh = ctx.values.energy === undefined ? 0 : Number(ctx.values.energy);
    if (!(energyKwh >= 0)) throw new UsageError(`--energy must be a number of kWh ≥ 0, got '${String(ctx.values.energy)}'.`);
    const meters = flags.map((f) => ({ ...parseMeterFlag(f), ...(pf !== undefined && { pf }), energyKwh, jitter: !ctx.values.steady }));
    const bus = await startBus({ transport, meters, lineSpeed: !ctx.values['no-line-speed'] });
    const log = createLogger('sim-bus');
    log.info({ url: bus.url, units: meters.map((m) => m.unit) }, 'bus serving');
    ctx.out(`listening ${bus.url}`);
    const stop = listenForCommands(process.stdin, (c) => control(bus, c, log), ctx.out);
    const signal = await untilSignal();
    stop();
    await bus.close();
    log.info({ signal, requests: bus.requests }, 'bus stopped');
    return 0;
  },
};

function control(bus: Awaited<ReturnType<typeof startBus>>, c: ControlCommand, log: Logger): string {
  const unitOf = (word: string | undefined) => bus.meter(Number(word));
  switch (c.verb) {
    case 'fault': {
      const meter = unitOf(c.args[0]);
      const fault = parseFault(c.args[1] ?? '', c.params);
      if (typeof fault === 'string') return `error: ${fault}`;
      meter.setFault(fault);
      log.info({ unit: meter.unit, fault }, 'fault set');
      return `ok unit ${meter.unit} fault ${fault.kind}`;
    }
    case 'clear':
      unitOf(c.args[0]).setFault(null);
      log.info({ unit: Number(c.args[0]) }, 'fault cleared');
      return `ok unit ${c.args[0]} clear`;
    case 'load': {
      const meter = unitOf(c.args[0]);
      meter.setLoad(Number(c.args[1]), c.args[2] === undefined ? undefined : Number(c.args[2]));
      return `ok unit ${meter.unit} load ${c.args[1]} kW`;
    }
    case 'status':
      return JSON.stringify({ url: bus.url, requests: bus.requests, meters: bus.meters.map((m) => ({ unit: m.unit, profile: m.profile, fault: m.fault, values: m.values() })) });
    default:
      return `error: unknown command '${c.verb}' (fault, clear, load, status)`;
  }
}
