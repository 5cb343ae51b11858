// Modbus RTU on a serial device (a USB RS-485 adapter, or one end of a socat pty pair in tests).
import { SerialPort } from 'serialport';
import { simErrors } from '../errors.js';
import type { BusCore } from './bus-core.js';
import { RtuLine, type RtuLineOptions } from './rtu-slave.js';

export interface SerialServer {
  close(): Promise<void>;
}

export async function serveSerial(core: BusCore, path: string, line: RtuLineOptions): Promise<SerialServer> {
  const port = new SerialPort({
    path,
    baudRate: line.baud,
    parity: line.parity ?? 'none',
    dataBits: line.dataBits ?? 8,
    stopBits: line.stopBits ?? 1,
    autoOpen: false,
  });
  await new Promise<void>((resolve, reject) =>
    port.open((error) => (error ? reject(simErrors.error('TANDEM_SIM_SERIAL', `cannot open serial device ${path}: ${error.message}`, { path })) : resolve())),
  );
  const reader = new RtuLine(core, line).stream((frame) => {
    if (port.isOpen) port.write(frame);
  });
  port.on('data', reader.feed);
  // A device that goes away (adapter unplugged) ends the bus; the error is kept for close().
  port.on('error', () => undefined);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        reader.close();
        if (!port.isOpen) return resolve();
        port.close(() => resolve());
      }),
  };
}
