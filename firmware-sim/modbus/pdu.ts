// One request PDU in, one reply PDU out (MODBUS Application Protocol v1.1b3 §6, §7):
// FC 03/04 reads, FC 06/16 writes, everything else "illegal function".
import type { MeterEmulator } from '../meter/emulator.js';
import { EXCEPTION, ModbusException } from '../meter/faults.js';

export const FC = { READ_HOLDING: 0x03, READ_INPUT: 0x04, WRITE_SINGLE: 0x06, WRITE_MULTIPLE: 0x10 } as const;
/** Exception replies set the top bit of the function code (§7). */
const EXCEPTION_FLAG = 0x80;
/** FC 16 quantity limit (§6.12). */
const MAX_WRITE = 123;

export function exceptionPdu(fc: number, code: number): Buffer {
  return Buffer.from([(fc | EXCEPTION_FLAG) & 0xff, code]);
}

/** Bytes a request PDU of this function code has, or undefined when only silence can tell (RTU framing). */
export function requestPduLength(pdu: Uint8Array): number | undefined {
  switch (pdu[0]) {
    case FC.READ_HOLDING:
    case FC.READ_INPUT:
    case FC.WRITE_SINGLE:
      return 5;
    case FC.WRITE_MULTIPLE:
      return pdu.length >= 6 ? 6 + pdu[5] : undefined;
    default:
      return undefined;
  }
}

function reply(meter: MeterEmulator, pdu: Buffer): Buffer {
  const fc = pdu[0];
  if (pdu.length < 5) throw new ModbusException(EXCEPTION.ILLEGAL_DATA_VALUE, `request of ${pdu.length} bytes is too short`);
  const address = pdu.readUInt16BE(1);
  switch (fc) {
    case FC.READ_HOLDING:
    case FC.READ_INPUT: {
      const words = meter.registers(fc, address, pdu.readUInt16BE(3));
      const out = Buffer.allocUnsafe(2 + words.length * 2);
      out[0] = fc;
      out[1] = words.length * 2;
      for (let k = 0; k < words.length; k++) out.writeUInt16BE(words[k], 2 + k * 2);
      return out;
    }
    case FC.WRITE_SINGLE:
      meter.writeRegisters(address, [pdu.readUInt16BE(3)]);
      return Buffer.from(pdu.subarray(0, 5));
    case FC.WRITE_MULTIPLE: {
      const count = pdu.readUInt16BE(3);
      if (count < 1 || count > MAX_WRITE || pdu[5] !== count * 2 || pdu.length < 6 + count * 2) {
        throw new ModbusException(EXCEPTION.ILLEGAL_DATA_VALUE, `write of ${count} registers with ${pdu[5]} bytes`);
      }
      meter.writeRegisters(address, Array.from({ length: count }, (_, k) => pdu.readUInt16BE(6 + k * 2)));
      return Buffer.from(pdu.subarray(0, 5));
    }
    default:
      throw new ModbusException(EXCEPTION.ILLEGAL_FUNCTION, `function code ${fc} is not supported`);
  }
}

/** The reply PDU a meter gives to `pdu`, exceptions included. */
export function answer(meter: MeterEmulator, pdu: Buffer): Buffer {
  try {
    return reply(meter, pdu);
  } catch (error) {
    if (error instanceof ModbusException) return exceptionPdu(pdu[0], error.code);
    throw error;
  }
}
