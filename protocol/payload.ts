// MQTT payload bytes ⇄ message objects. A payload is UTF-8 JSON, or the same JSON
// zlib-deflated when that is smaller by enough to matter: the first byte tells which
// ('{' is 0x7B, a zlib stream starts with 0x78). Deflate uses a preset dictionary
// (RFC 1950 §2.2 FDICT) of what every reading batch contains, which saves most of
// zlib's start-up cost on the small batches a live uplink sends.
import { deflateSync, inflateSync } from 'node:zlib';
import { MAX_INFLATED_BYTES, MAX_PAYLOAD_BYTES } from './messages.js';
import type { Issue } from './validate.js';

/** Below this size compression saves too little to pay for the CPU on both ends (bytes). */
export const COMPRESS_MIN_BYTES = 200;
const ZLIB_FIRST_BYTE = 0x78;

/**
 * Part of protocol v1: never change it within a version (a receiver could not inflate
 * older payloads). Most frequent strings last, where deflate reaches them cheapest.
 */
export const PAYLOAD_DICTIONARY = Buffer.from(
  '{"v":1,"online":true,"t":,"ranges":[["'
    + ',"unsupported"]],"error"]],"invalid"]],"bad":[['
    + 'null,null,null,null,null,null,null,null,'
    + '],"i1":[],"i2":[],"i3":[],"pf":[],"f":[50],"ei":['
    + '0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,'
    + '],"q":{"u1":[23],"u2":[23],"u3":[23],"p":['
    + '{"v":1,"gw":"gw-","seq":"","meters":["meter-1","meter-2"],"ds":[0,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1],"t":[1,15000,],"m":[0,1,2,3,4,5,6,7,8,9,',
);

export function encodePayload(message: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(message));
  if (json.length < COMPRESS_MIN_BYTES) return json;
  const packed = deflateSync(json, { level: 6, dictionary: PAYLOAD_DICTIONARY });
  return packed.length < json.length * 0.9 ? packed : json;
}

export type Decoded = { ok: true; value: unknown } | { ok: false; errors: Issue[] };

export function decodePayload(payload: Uint8Array): Decoded {
  if (payload.length > MAX_PAYLOAD_BYTES) {
    return fail(`payload is ${payload.length} bytes, more than the ${MAX_PAYLOAD_BYTES} allowed`);
  }
  if (payload.length === 0) return fail('payload is empty');
  let text: Buffer = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
  if (payload[0] === ZLIB_FIRST_BYTE) {
    try {
      text = inflateSync(text, { maxOutputLength: MAX_INFLATED_BYTES, dictionary: PAYLOAD_DICTIONARY });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return fail(
        code === 'ERR_BUFFER_TOO_LARGE'
          ? `compressed payload inflates past ${MAX_INFLATED_BYTES} bytes`
          : `payload starts like zlib (0x78) but does not inflate: ${(error as Error).message}`,
      );
    }
  }
  try {
    return { ok: true, value: JSON.parse(text.toString('utf8')) };
  } catch (error) {
    return fail(`payload is not JSON: ${(error as Error).message}`);
  }
}

function fail(message: string): Decoded {
  return { ok: false, errors: [{ path: '', message }] };
}

