// Modbus TCP (MODBUS Messaging on TCP/IP Implementation Guide v1.0b §3.1.3): each request is
// an MBAP header (transaction id, protocol id 0, length, unit id) and a PDU. One endpoint
// serves every unit of its bus, like a TCP-to-RS-485 gateway.
import type net from 'node:net';
import { EXCEPTION } from '../meter/faults.js';
import type { BusCore } from './bus-core.js';
import { listen, type Listener } from './listen.js';
import { exceptionPdu } from './pdu.js';

const MBAP_LENGTH = 7;
/** The length field counts the unit id and the PDU: 2..254 bytes (PDU at most 253, §4.1 of the protocol spec). */
const MIN_LENGTH_FIELD = 2;
const MAX_LENGTH_FIELD = 254;
/** A corrupt reply on TCP: Modbus TCP has no CRC, so a non-zero protocol id stands in for a broken frame. */
const CORRUPT_PROTOCOL_ID = 0x5a5a;

export function serveTcp(core: BusCore, host: string, port: number): Promise<Listener> {
  return listen(host, port, (socket) => connection(core, socket));
}

function connection(core: BusCore, socket: net.Socket): void {
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= MBAP_LENGTH) {
      const length = pending.readUInt16BE(4);
      if (pending.readUInt16BE(2) !== 0 || length < MIN_LENGTH_FIELD || length > MAX_LENGTH_FIELD) {
        socket.destroy(); // not Modbus TCP: drop the connection (Implementation Guide §4.4.1)
        return;
      }
      if (pending.length < 6 + length) return;
      const frame = pending.subarray(0, 6 + length);
      pending = pending.subarray(6 + length);
      respond(core, socket, frame);
    }
  });
}

function respond(core: BusCore, socket: net.Socket, frame: Buffer): void {
  const unit = frame[6];
  const pdu = frame.subarray(MBAP_LENGTH);
  const outcome = core.meters.has(unit)
    ? core.handle(unit, pdu)
    : { kind: 'reply' as const, pdu: exceptionPdu(pdu[0], EXCEPTION.GATEWAY_TARGET_FAILED), delayMs: 0, corrupt: false };
  if (outcome.kind === 'silent') return;
  const out = Buffer.allocUnsafe(MBAP_LENGTH + outcome.pdu.length);
  out.writeUInt16BE(frame.readUInt16BE(0), 0);
  out.writeUInt16BE(outcome.corrupt ? CORRUPT_PROTOCOL_ID : 0, 2);
  out.writeUInt16BE(outcome.pdu.length + 1, 4);
  out[6] = unit;
  outcome.pdu.copy(out, MBAP_LENGTH);
  const send = () => {
    if (!socket.destroyed) socket.write(out);
  };
  if (outcome.delayMs > 0) setTimeout(send, outcome.delayMs);
  else send();
}
