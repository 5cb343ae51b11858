// Per-gateway reading sequence numbers: assigned once when a reading enters the outbox,
// never reused. On the wire they are decimal strings (JSON numbers lose precision past
// 2^53); in memory they are bigint. The range stops at 2^63-1 so that SQLite's and
// PostgreSQL's signed 64-bit integers hold every value.

export const MAX_SEQ = (1n << 63n) - 1n;

const SEQ_PATTERN = /^(0|[1-9][0-9]{0,18})$/;

/** Why `text` is not a valid sequence number, or null when it is one. */
export function seqProblem(text: unknown): string | null {
  if (typeof text !== 'string') return `must be a decimal string, got ${typeof text}`;
  if (!SEQ_PATTERN.test(text)) return `must be a non-negative integer in decimal without leading zeros, got '${text.slice(0, 40)}'`;
  if (BigInt(text) > MAX_SEQ) return `must be at most ${MAX_SEQ} (2^63-1), got ${text}`;
  return null;
}

export function parseSeq(text: string): bigint {
  const problem = seqProblem(text);
  if (problem) throw new RangeError(`sequence number ${problem}`);
  return BigInt(text);
}

export function formatSeq(seq: bigint): string {
  if (seq < 0n || seq > MAX_SEQ) throw new RangeError(`sequence number out of range: ${seq}`);
  return seq.toString();
}

/** Inclusive range of sequence numbers. */
export interface SeqRange {
  from: bigint;
  to: bigint;
}

/** Merges sorted or unsorted sequence numbers into the fewest inclusive ranges. */
export function toRanges(seqs: Iterable<bigint>): SeqRange[] {
  const sorted = [...seqs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const ranges: SeqRange[] = [];
  for (const seq of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && seq <= last.to + 1n) {
      if (seq > last.to) last.to = seq;
    } else {
      ranges.push({ from: seq, to: seq });
    }
  }
  return ranges;
}
