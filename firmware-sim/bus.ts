// One simulated RS-485 bus (or TCP meter gateway): several meters by unit id behind one
// endpoint, on Modbus TCP, raw RTU over TCP, or RTU on a serial device.
import { MeterEmulator, type MeterOptions } from './meter/emulator.js';
import { simErrors } from './errors.js';
import { BusCore } from './modbus/bus-core.js';
import type { LineSettings, Parity } from './modbus/line-timing.js';
import { serveRtuOverTcp } from './modbus/rtu-over-tcp-server.js';
import { serveSerial } from './modbus/serial-server.js';
import { serveTcp } from './modbus/tcp-server.js';

export type BusTransport =
  | { kind: 'tcp' | 'rtu-over-tcp'; host: string; port: number; baud?: number; parity?: Parity }
  | { kind: 'rtu'; path: string; baud: number; parity?: Parity; dataBits?: 7 | 8; stopBits?: 1 | 2 };

export interface BusOptions {
  transport: BusTransport;
  /** Meters by unit; the MeterOptions beyond unit/profile/kw/pf/pt/ct are for sites and tests. */
  meters: (MeterOptions | MeterEmulator)[];
  /** Hold RTU replies for the line time at the baud rate (default true for rtu and rtu-over-tcp). */
  lineSpeed?: boolean;
}

export interface RunningBus {
  /** Where it serves: tcp://HOST:PORT, rtu-over-tcp://HOST:PORT or rtu:PATH?baud=N&parity=P. */
  url: string;
  port?: number;
  meters: MeterEmulator[];
  meter(unit: number): MeterEmulator;
  /** Requests received so far. */
  readonly requests: number;
  close(): Promise<void>;
}

/** Baud rate a converter's serial side is emulated at when none is given. */
export const DEFAULT_CONVERTER_BAUD = 9600;

export async function startBus(options: BusOptions): Promise<RunningBus> {
  const meters = options.meters.map((m) => (m instanceof MeterEmulator ? m : new MeterEmulator(m)));
  const seen = new Set<number>();
  for (const m of meters) {
    if (seen.has(m.unit)) throw simErrors.error('TANDEM_SIM_METER', `unit ${m.unit} appears twice on one bus`);
    seen.add(m.unit);
  }
  const core = new BusCore(meters);
  const t = options.transport;
  let url: string;
  let port: number | undefined;
  let close: () => Promise<void>;
  if (t.kind === 'rtu') {
    const server = await serveSerial(core, t.path, { ...t, lineSpeed: options.lineSpeed ?? true });
    url = `rtu:${t.path}?baud=${t.baud}&parity=${t.parity ?? 'none'}`;
    close = server.close;
  } else {
    const line: LineSettings = { baud: t.baud ?? DEFAULT_CONVERTER_BAUD, parity: t.parity ?? 'none' };
    const listener =
      t.kind === 'tcp' ? await serveTcp(core, t.host, t.port) : await serveRtuOverTcp(core, t.host, t.port, { ...line, lineSpeed: options.lineSpeed ?? true });
    port = listener.port;
    url = `${t.kind}://${t.host.includes(':') ? `[${t.host}]` : t.host}:${port}`;
    close = listener.close;
  }
  return {
    url,
    ...(port !== undefined && { port }),
    meters,
    meter(unit) {
      const m = core.meters.get(unit);
      if (!m) throw simErrors.error('TANDEM_SIM_METER', `no meter with unit ${unit} on ${url}`);
      return m;
    },
    get requests() {
      return core.requests;
    },
    close,
  };
}
