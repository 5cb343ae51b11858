// What an RS-485 line allows: the time of Modbus RTU read exchanges at a baud rate, from
// frame sizes (MODBUS over Serial Line v1.02 §2.5.1: a character is 11 bits with parity, 10
// without; frames are separated by 3.5 characters of silence).
import { getProfile, QUANTITY_NAMES, type ProfilePoint, type Quantity } from '../../protocol/index.js';
import { planBlocks } from '../../agent/polling/blocks.js';

export const BAUD = 9600;
/** 8N1: start + 8 data + stop. */
export const BITS_PER_CHAR = 10;
export const CHAR_MS = (BITS_PER_CHAR * 1000) / BAUD;
/** t3.5 between frames (§2.5.1.1): after the request and after the reply. */
const GAP_CHARS = 3.5;
/** FC 3/4 request: unit, fc, address, count, CRC. */
const REQUEST_BYTES = 8;
/** FC 3/4 reply: unit, fc, byte count, 2 per register, CRC. */
const replyBytes = (registers: number) => 5 + 2 * registers;

/** Line time of one read of `registers` registers: request, gap, reply, gap (ms). */
export function readExchangeMs(registers: number): number {
  return (REQUEST_BYTES + replyBytes(registers) + 2 * GAP_CHARS) * CHAR_MS;
}

/**
 * What `tandem sim bus` holds a read for (firmware-sim/modbus/line-timing.ts exchangeMs):
 * request, one 3.5-character turnaround, reply — no silence after the reply, so a master
 * that sends its next request at once gets more than the spec's line maximum.
 */
export function simulatorExchangeMs(registers: number): number {
  return (REQUEST_BYTES + replyBytes(registers) + GAP_CHARS) * CHAR_MS;
}

/** Line time of one meter's reads as the agent plans them (ms), by the spec or as the simulator times them. */
export function meterLineMs(profileId: string, gapFill: number, maxRegisters?: number, exchange: (registers: number) => number = readExchangeMs): number {
  const profile = getProfile(profileId);
  const points = QUANTITY_NAMES.flatMap((q): [Quantity, ProfilePoint][] => (profile.points[q] ? [[q, profile.points[q]!]] : []));
  const blocks = planBlocks(points, { gapFill, maxRegisters: maxRegisters ?? profile.maxRegistersPerRead, refused: () => false });
  return blocks.reduce((ms, b) => ms + exchange(b.count), 0);
}

export const LINE_NOTE = `(8 + 5 + 2n bytes + 2 × 3.5 chars) × ${CHAR_MS.toFixed(3)} ms per read; the simulator holds a reply for request + 3.5 chars + reply`;
