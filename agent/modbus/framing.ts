// Cutting responses out of a byte stream. TCP is a stream: one segment may hold two
// responses or half of one (node-modbus-serial issues #264 and #369 are this bug), so both
// framers buffer and cut by length, never by 'data' event.
import { hasValidCrc, rtuFrame } from './crc.js';
import { badFrame, responsePduLength, type Request } from './pdu.js';

export interface Extracted {
  /** bytes to drop from the front of the buffer */
  consumed: number;
  /** the answer to the pending request */
  pdu?: Buffer;
  error?: Error;
}

export interface Framer {
  encode(request: Request): Buffer;
  /** Looks at the front of `buffer`; `consumed: 0` means wait for more bytes. */
  extract(pending: Request | undefined, buffer: Buffer): Extracted;
  /** RTU has no transaction id: bytes left over from an earlier answer are dropped before a request. */
  readonly clearBeforeSend: boolean;
}

const MBAP_HEADER_BYTES = 7;
/** MBAP length field counts unit id + PDU: 2..254 (MODBUS Messaging on TCP/IP v1.0b §3.1.3, PDU ≤ 253). */
const MBAP_MIN_LENGTH = 2;
const MBAP_MAX_LENGTH = 254;
const TRANSACTION_ID_MAX = 0xffff;

/** Modbus TCP: MBAP header, transaction ids match answers to requests; stale answers are skipped. */
export function mbapFramer(): Framer {
  let tid = 0;
  return {
    clearBeforeSend: false,
    encode(request) {
      tid = tid === TRANSACTION_ID_MAX ? 1 : tid + 1;
      const adu = Buffer.alloc(MBAP_HEADER_BYTES + request.pdu.length);
      adu.writeUInt16BE(tid, 0);
      adu.writeUInt16BE(0, 2); // protocol id 0 = Modbus
      adu.writeUInt16BE(request.pdu.length + 1, 4);
      adu[6] = request.unit;
      request.pdu.copy(adu, MBAP_HEADER_BYTES);
      return adu;
    },
    extract(pending, buffer) {
      if (buffer.length < MBAP_HEADER_BYTES) return { consumed: 0 };
      const length = buffer.readUInt16BE(4);
      if (buffer.readUInt16BE(2) !== 0 || length < MBAP_MIN_LENGTH || length > MBAP_MAX_LENGTH) {
        // The stream lost its framing; nothing after this point can be trusted.
        const error = pending ? badFrame(pending, `MBAP header protocol ${buffer.readUInt16BE(2)} length ${length}`) : undefined;
        return { consumed: buffer.length, ...(error && { error }) };
      }
      const total = 6 + length;
      if (buffer.length < total) return { consumed: 0 };
      const answers = pending !== undefined && buffer.readUInt16BE(0) === tid;
      return answers ? { consumed: total, pdu: Buffer.from(buffer.subarray(MBAP_HEADER_BYTES, total)) } : { consumed: total };
    },
  };
}

/** RTU (serial or raw over TCP): unit + PDU + CRC, length known from the request. */
export function rtuFramer(): Framer {
  return {
    clearBeforeSend: true,
    encode: (request) => rtuFrame(request.unit, request.pdu),
    extract(pending, buffer) {
      if (!pending) return { consumed: buffer.length };
      if (buffer.length < 2) return { consumed: 0 };
      const fc = buffer[1]! & 0x7f;
      if (buffer[0] !== pending.unit || fc !== pending.fc) return { consumed: 1 }; // not ours: resynchronise
      const pduLength = responsePduLength(pending, buffer.subarray(1));
      if (pduLength === undefined || buffer.length < pduLength + 3) return { consumed: 0 };
      const frame = buffer.subarray(0, pduLength + 3);
      if (!hasValidCrc(frame)) return { consumed: buffer.length, error: badFrame(pending, 'bad CRC') };
      return { consumed: frame.length, pdu: Buffer.from(frame.subarray(1, frame.length - 2)) };
    },
  };
}
