// The Modbus transports: createTransport picks one by the bus kind.
import { rtuSerialTransport } from './rtu-serial.js';
import { rtuOverTcpTransport, tcpTransport } from './tcp.js';
import type { Transport, TransportOptions, TransportTarget } from './types.js';

export function createTransport(target: TransportTarget, options?: TransportOptions): Transport {
  switch (target.kind) {
    case 'tcp':
      return tcpTransport(target.host, target.port, options);
    case 'rtu-over-tcp':
      return rtuOverTcpTransport(target.host, target.port, options);
    case 'rtu':
      return rtuSerialTransport(target, options);
  }
}

export * from './types.js';
export * from './errors.js';
export { MAX_READ_REGISTERS, type ReadFc } from './pdu.js';
export { t35Ms, describeSerial } from './rtu-serial.js';
