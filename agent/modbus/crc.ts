// CRC-16/MODBUS of an RTU frame (MODBUS over Serial Line v1.02 §6.2.2): initial 0xFFFF,
// reflected polynomial 0xA001, appended low byte first.
const CRC_INIT = 0xffff;
const CRC_POLY = 0xa001;

const TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ CRC_POLY : c >>> 1;
  return c;
});

export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = CRC_INIT;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ bytes[i]!) & 0xff]!;
  return crc;
}

/** unit + pdu + CRC (low byte first). */
export function rtuFrame(unit: number, pdu: Buffer): Buffer {
  const frame = Buffer.alloc(pdu.length + 3);
  frame[0] = unit;
  pdu.copy(frame, 1);
  frame.writeUInt16LE(crc16(frame, 0, frame.length - 2), frame.length - 2);
  return frame;
}

export function hasValidCrc(frame: Uint8Array): boolean {
  if (frame.length < 4) return false;
  const crc = frame[frame.length - 2]! | (frame[frame.length - 1]! << 8);
  return crc16(frame, 0, frame.length - 2) === crc;
}
