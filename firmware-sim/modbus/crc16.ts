// CRC-16/MODBUS (MODBUS over Serial Line v1.02 §6.2.2): polynomial 0xA001 reflected,
// initial value 0xFFFF, sent low byte first.

const TABLE = new Uint16Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
  TABLE[n] = c;
}

export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ bytes[i]) & 0xff];
  return crc;
}

/** True when the last two bytes of `frame` are the CRC of the bytes before them. */
export function hasValidCrc(frame: Uint8Array): boolean {
  if (frame.length < 4) return false;
  const crc = crc16(frame, 0, frame.length - 2);
  return frame[frame.length - 2] === (crc & 0xff) && frame[frame.length - 1] === crc >> 8;
}

/** `body` followed by its CRC. */
export function withCrc(body: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(body.length + 2);
  frame.set(body);
  const crc = crc16(body);
  frame[body.length] = crc & 0xff;
  frame[body.length + 1] = crc >> 8;
  return frame;
}
