// Closes a connection as soon as an MQTT fixed header announces a packet larger than the
// limit, before the parser buffers it (MQTT 3.1.1 §2.2.3: the remaining length is a
// variable-length integer of up to 4 bytes, so a packet may claim up to 256 MB).
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export function guardPacketSize(conn: Socket | Duplex, maxBytes: number, onOversize: (announced: number) => void): void {
  let state: 'type' | 'length' | 'body' = 'type';
  let length = 0;
  let multiplier = 1;
  let remaining = 0;
  // With a 'readable' listener (aedes) present, 'data' only observes what aedes reads.
  conn.on('data', (chunk: Buffer) => {
    let i = 0;
    while (i < chunk.length) {
      if (state === 'type') {
        i++;
        state = 'length';
        length = 0;
        multiplier = 1;
      } else if (state === 'length') {
        const byte = chunk[i++]!;
        length += (byte & 0x7f) * multiplier;
        multiplier *= 128;
        if (byte & 0x80) continue;
        if (length > maxBytes) {
          onOversize(length);
          conn.destroy();
          return;
        }
        remaining = length;
        state = remaining > 0 ? 'body' : 'type';
      } else {
        const skip = Math.min(remaining, chunk.length - i);
        i += skip;
        remaining -= skip;
        if (remaining === 0) state = 'type';
      }
    }
  });
}
