// The `scan` command: which unit ids answer on a bus of the running configuration, and
// which profile each fits (the technician's `tandem agent scan`, from afar). One request
// in flight per physical bus (DESIGN.md): the bus's poller is stopped for the scan and
// started again after it, so polls that fall inside the scan produce no readings (never
// re-stamped ones); the reply says how long polling paused.
import { PROFILES } from '../../protocol/index.js';
import { createTransport } from '../modbus/index.js';
import { guessProfile } from '../commands/profile-guess.js';
import { parseUnits } from '../commands/scan.js';
import type { PollerSet } from './poller-set.js';

/** Unit ids scanned when the command names none: a remote scan should not pause a bus for minutes. */
const DEFAULT_UNITS = '1-32';
/** Per request: meters answer within tens of ms (agent/commands/scan.ts uses the same). */
const SCAN_TIMEOUT_MS = 300;

export interface ScanResult {
  bus: string;
  found: { unit: number; profile: string | null; plausible: number; of: number }[];
  pausedMs: number;
}

export async function scanBus(pollers: PollerSet, busId: string, args: Record<string, unknown>): Promise<ScanResult> {
  const units = parseUnits(typeof args.units === 'string' ? args.units : DEFAULT_UNITS);
  const started = Date.now();
  const { bus, resume } = await pollers.pause(busId);
  const found: ScanResult['found'] = [];
  try {
    const transport = createTransport(bus, { timeoutMs: SCAN_TIMEOUT_MS });
    await transport.connect();
    try {
      for (const unit of units) {
        const guesses = await guessProfile(transport, unit, [...PROFILES.values()], () => false);
        const best = guesses.find((g) => g.reading);
        if (best) found.push({ unit, profile: best.plausible > 0 ? best.profile.id : null, plausible: best.plausible, of: best.of });
      }
    } finally {
      await transport.close();
    }
  } finally {
    await resume();
  }
  return { bus: busId, found, pausedMs: Date.now() - started };
}
