// How long bytes take on an RS-485 line (MODBUS over Serial Line v1.02 §2.5.1.1): a character
// is start + data + parity + stop bits; frames are separated by 3.5 characters of silence,
// fixed at 1.75 ms above 19200 baud.

export type Parity = 'none' | 'even' | 'odd';

export interface LineSettings {
  baud: number;
  parity?: Parity;
  dataBits?: 7 | 8;
  stopBits?: 1 | 2;
}

const FAST_BAUD = 19200;
const FAST_GAP_MS = 1.75;
const GAP_CHARS = 3.5;

export function bitsPerChar(line: LineSettings): number {
  return 1 + (line.dataBits ?? 8) + (line.parity && line.parity !== 'none' ? 1 : 0) + (line.stopBits ?? 1);
}

export function charMs(line: LineSettings): number {
  return (bitsPerChar(line) * 1000) / line.baud;
}

/** The inter-frame silence t3.5, ms. */
export function frameGapMs(line: LineSettings): number {
  return line.baud > FAST_BAUD ? FAST_GAP_MS : GAP_CHARS * charMs(line);
}

/** Line time of one exchange: request, the 3.5-character turnaround, reply. */
export function exchangeMs(line: LineSettings, requestBytes: number, replyBytes: number): number {
  return (requestBytes + replyBytes) * charMs(line) + frameGapMs(line);
}
