// Modbus RTU slave side (MODBUS over Serial Line v1.02 §2.5.1): frames are unit id + PDU +
// CRC, delimited by silence. One RtuLine is one physical line: several byte streams (TCP
// connections to a serial converter) may feed it, and they share its time.
import { performance } from 'node:perf_hooks';
import type { BusCore } from './bus-core.js';
import { hasValidCrc, withCrc } from './crc16.js';
import { exchangeMs, frameGapMs, type LineSettings } from './line-timing.js';
import { requestPduLength } from './pdu.js';

/** Unit 0 is broadcast: slaves act but never reply (§2.1). */
const BROADCAST = 0;
/** Largest RTU frame: 256 bytes (§2.5.1). */
const MAX_FRAME = 256;
/** Unit id + CRC around the PDU. */
const FRAME_OVERHEAD = 3;

export interface RtuLineOptions extends LineSettings {
  /** Hold each reply until the line could have carried request and reply (default true). */
  lineSpeed?: boolean;
}

/** The whole frames in `bytes`: the frame at 0 if its CRC checks, else known-length requests after noise. */
function findFrames(bytes: Buffer): Buffer[] {
  if (bytes.length >= 4 && hasValidCrc(bytes)) return [bytes];
  const frames: Buffer[] = [];
  let at = 0;
  while (at < bytes.length - 3) {
    const length = (requestPduLength(bytes.subarray(at + 1)) ?? Infinity) + FRAME_OVERHEAD;
    if (at + length <= bytes.length && hasValidCrc(bytes.subarray(at, at + length))) {
      frames.push(bytes.subarray(at, at + length));
      at += length;
    } else at++;
  }
  return frames;
}

/**
 * Runs `fn` once performance.now() has reached `when`. libuv timers count whole milliseconds
 * from a cached loop time and can fire a little early, so an early wake-up waits again.
 */
function atOrAfter(when: number, fn: () => void): void {
  const wait = when - performance.now();
  if (wait <= 0) return fn();
  setTimeout(() => atOrAfter(when, fn), Math.ceil(wait));
}

export class RtuLine {
  private lineFreeAt = 0;
  constructor(
    private readonly core: BusCore,
    private readonly options: RtuLineOptions,
  ) {}

  /** A reader for one byte stream on this line; `send` writes a reply frame to it. */
  stream(send: (frame: Buffer) => void): { feed(chunk: Buffer): void; close(): void } {
    let pending: Buffer = Buffer.alloc(0);
    let firstByteAt = 0;
    let silence: NodeJS.Timeout | undefined;
    const gapMs = Math.max(1, frameGapMs(this.options));
    const take = (frame: Buffer) => {
      pending = Buffer.alloc(0);
      this.request(frame, firstByteAt, send);
    };
    return {
      feed: (chunk) => {
        if (pending.length === 0) firstByteAt = performance.now();
        pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        clearTimeout(silence);
        // A request whose length the function code tells is taken as soon as it is whole and
        // its CRC checks; anything else waits for the 3.5-character silence.
        for (;;) {
          const length = (requestPduLength(pending.subarray(1)) ?? Infinity) + FRAME_OVERHEAD;
          if (pending.length < length || !hasValidCrc(pending.subarray(0, length))) break;
          const rest = pending.subarray(length);
          take(pending.subarray(0, length));
          pending = rest;
          if (pending.length === 0) return;
        }
        if (pending.length > MAX_FRAME) pending = Buffer.alloc(0);
        silence = setTimeout(() => {
          // A frame with a bad CRC is discarded without reply (§2.5.1.2), as real slaves do; a
          // whole request after line noise (glued on by a converter's TCP buffering) is kept.
          const frames = findFrames(pending);
          pending = Buffer.alloc(0);
          for (const frame of frames) take(frame);
        }, gapMs);
      },
      close: () => clearTimeout(silence),
    };
  }

  private request(frame: Buffer, firstByteAt: number, send: (frame: Buffer) => void): void {
    const unit = frame[0];
    const outcome = this.core.handle(unit, frame.subarray(1, frame.length - 2));
    const replyBytes = outcome.kind === 'reply' && unit !== BROADCAST ? outcome.pdu.length + FRAME_OVERHEAD : 0;
    let sendAt = performance.now();
    if (this.options.lineSpeed !== false) {
      // The request cannot have started before the line was free again, and the reply cannot be
      // complete before request, turnaround and reply have passed at the line's baud rate.
      const start = Math.max(firstByteAt, this.lineFreeAt);
      this.lineFreeAt = start + exchangeMs(this.options, frame.length, replyBytes);
      sendAt = this.lineFreeAt;
    }
    if (outcome.kind === 'silent' || unit === BROADCAST) return;
    const reply = withCrc(Buffer.concat([Buffer.from([unit]), outcome.pdu]));
    if (outcome.corrupt) reply[reply.length - 1] ^= 0xff;
    atOrAfter(sendAt + outcome.delayMs, () => send(reply));
  }
}
