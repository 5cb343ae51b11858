// Request and response PDUs of the three function codes the agent uses
// (MODBUS Application Protocol v1.1b3 §6.3 FC 03, §6.4 FC 04, §6.12 FC 16).
import { exceptionError, modbusErrors } from './errors.js';

export type ReadFc = 3 | 4;
export const FC_WRITE_MULTIPLE = 16;
/** Most registers one read may ask for (§6.3) and one write may carry (§6.12). */
export const MAX_READ_REGISTERS = 125;
export const MAX_WRITE_REGISTERS = 123;
const EXCEPTION_FLAG = 0x80;

/** What the transport needs to recognise and check the answer to one request. */
export interface Request {
  unit: number;
  fc: number;
  pdu: Buffer;
  /** registers expected back (reads) or written (FC 16) */
  count: number;
}

export function readRequest(unit: number, fc: ReadFc, address: number, count: number): Request {
  checkRange(address, count, MAX_READ_REGISTERS);
  const pdu = Buffer.alloc(5);
  pdu[0] = fc;
  pdu.writeUInt16BE(address, 1);
  pdu.writeUInt16BE(count, 3);
  return { unit, fc, pdu, count };
}

export function writeRequest(unit: number, address: number, values: number[]): Request {
  checkRange(address, values.length, MAX_WRITE_REGISTERS);
  const pdu = Buffer.alloc(6 + values.length * 2);
  pdu[0] = FC_WRITE_MULTIPLE;
  pdu.writeUInt16BE(address, 1);
  pdu.writeUInt16BE(values.length, 3);
  pdu[5] = values.length * 2;
  values.forEach((v, i) => pdu.writeUInt16BE(v & 0xffff, 6 + i * 2));
  return { unit, fc: FC_WRITE_MULTIPLE, pdu, count: values.length };
}

function checkRange(address: number, count: number, max: number): void {
  if (!Number.isInteger(count) || count < 1 || count > max) throw new RangeError(`register count ${count} is not 1..${max}`);
  if (!Number.isInteger(address) || address < 0 || address + count - 1 > 0xffff) throw new RangeError(`registers ${address}+${count} run outside 0..65535`);
}

/** Length of the complete response PDU that starts `bytes`, or undefined while too short to tell. */
export function responsePduLength(request: Request, bytes: Buffer): number | undefined {
  if (bytes.length < 1) return undefined;
  if (bytes[0] === (request.fc | EXCEPTION_FLAG)) return 2;
  if (request.fc === FC_WRITE_MULTIPLE) return 5;
  return bytes.length < 2 ? undefined : 2 + bytes[1]!;
}

/** Checks a response PDU against its request: registers for reads, [] for writes; throws on exceptions and mismatches. */
export function parseResponse(request: Request, pdu: Buffer): number[] {
  const fc = pdu[0];
  if (fc === (request.fc | EXCEPTION_FLAG)) throw exceptionError(request.unit, request.fc, pdu[1] ?? 0);
  if (fc !== request.fc) throw badFrame(request, `answered function ${fc}`);
  if (request.fc === FC_WRITE_MULTIPLE) {
    if (pdu.length !== 5 || pdu.readUInt16BE(3) !== request.count) throw badFrame(request, 'write echo does not match the request');
    return [];
  }
  const byteCount = pdu[1];
  if (byteCount !== request.count * 2 || pdu.length !== 2 + byteCount) {
    throw badFrame(request, `sent ${byteCount} bytes for ${request.count} registers`);
  }
  return Array.from({ length: request.count }, (_, i) => pdu.readUInt16BE(2 + i * 2));
}

export function badFrame(request: Request, what: string) {
  return modbusErrors.error('TANDEM_MODBUS_BAD_FRAME', `unit ${request.unit} fc ${request.fc}: ${what}`);
}
