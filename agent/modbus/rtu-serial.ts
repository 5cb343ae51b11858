// Modbus RTU on a local serial port (RS-485 adapter), via the serialport package.
import { existsSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { SerialPort } from 'serialport';
import { modbusErrors } from './errors.js';
import { rtuFramer } from './framing.js';
import { StreamTransport } from './stream-transport.js';
import type { Parity, TransportOptions } from './types.js';

/**
 * Silence that ends an RTU frame: 3.5 character times, fixed at 1.75 ms above 19200 baud
 * (MODBUS over Serial Line v1.02 §2.5.1.1). A character is 11 bits (start, 8 data, parity or
 * second stop, stop: §2.5.1).
 */
const BITS_PER_CHARACTER = 11;
const T35_CHARACTERS = 3.5;
const FAST_LINE_BAUD = 19200;
const FAST_LINE_T35_MS = 1.75;

export function t35Ms(baud: number): number {
  return baud > FAST_LINE_BAUD ? FAST_LINE_T35_MS : (T35_CHARACTERS * BITS_PER_CHARACTER * 1000) / baud;
}

export interface SerialSettings {
  path: string;
  baud: number;
  parity?: Parity;
  dataBits?: 7 | 8;
  stopBits?: 1 | 2;
}

export function describeSerial(s: SerialSettings): string {
  return `rtu ${s.path} ${s.baud} ${s.dataBits ?? 8}${(s.parity ?? 'none')[0]!.toUpperCase()}${s.stopBits ?? 1}`;
}

function openPort(s: SerialSettings, description: string): Promise<SerialPort> {
  const port = new SerialPort({ path: s.path, baudRate: s.baud, parity: s.parity ?? 'none', dataBits: s.dataBits ?? 8, stopBits: s.stopBits ?? 1, autoOpen: false });
  return new Promise((resolve, reject) => {
    port.open((error) => {
      if (!error) return resolve(port);
      const reason = error.message.replace(/^Error:? /, '');
      const held = /cannot lock port/i.test(reason) ? ' (another program holds it: a running agent, or a second read/scan?)' : '';
      reject(modbusErrors.error('TANDEM_MODBUS_CONNECT_FAILED', `cannot open ${description}: ${reason}${held}`, { path: s.path }));
    });
  });
}

/** SerialPort's destroy() leaves the device open and locked; close() releases both. */
function closePort(stream: Duplex): Promise<void> {
  const port = stream as SerialPort;
  return new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));
}

export function rtuSerialTransport(settings: SerialSettings, options?: TransportOptions): StreamTransport {
  const description = describeSerial(settings);
  const spec = {
    kind: 'rtu',
    description,
    framer: rtuFramer(),
    lineSilenceMs: t35Ms(settings.baud),
    open: () => openPort(settings, description),
    stillThere: () => existsSync(settings.path),
    shut: closePort,
  } as const;
  return new StreamTransport(spec, options);
}
