// Which requests read a meter: adjacent registers of one function code merged into blocks
// (DESIGN.md polling principles), never spanning a register the meter refused.
import { registerCount, type ProfilePoint, type Quantity } from '../../protocol/index.js';

export interface BlockPoint {
  quantity: Quantity;
  point: ProfilePoint;
  /** first register of the point within the block */
  offset: number;
  count: number;
}

export interface Block {
  fc: 3 | 4;
  address: number;
  count: number;
  points: BlockPoint[];
}

export interface BlockLimits {
  /** unused registers a block may span between two points */
  gapFill: number;
  /** registers per request: the profile's maxRegistersPerRead (≤ 125) */
  maxRegisters: number;
  /** registers the meter answered "illegal data address" for: no block may include them */
  refused: (fc: number, address: number) => boolean;
}

export function planBlocks(points: ReadonlyArray<[Quantity, ProfilePoint]>, limits: BlockLimits): Block[] {
  const sorted = [...points].sort(([, a], [, b]) => a.fc - b.fc || a.address - b.address);
  const blocks: Block[] = [];
  let current: Block | undefined;
  for (const [quantity, point] of sorted) {
    const count = registerCount(point.type);
    if (!current || !fits(current, point, count, limits)) {
      current = { fc: point.fc, address: point.address, count: 0, points: [] };
      blocks.push(current);
    }
    const offset = point.address - current.address;
    current.points.push({ quantity, point, offset, count });
    current.count = offset + count;
  }
  return blocks;
}

function fits(block: Block, point: ProfilePoint, count: number, limits: BlockLimits): boolean {
  const end = block.address + block.count; // first register after the block
  if (point.fc !== block.fc || point.address - end > limits.gapFill) return false;
  if (point.address + count - block.address > limits.maxRegisters) return false;
  for (let r = end; r < point.address; r++) if (limits.refused(point.fc, r)) return false;
  return true;
}
