// What a site keeps across restarts: each meter's import energy, so counters never go back.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { simErrors } from '../errors.js';

export interface SiteState {
  savedAt: number;
  energyKwh: Record<string, number>;
}

/** The saved state, or undefined when the file does not exist yet. */
export function readState(file: string): SiteState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw simErrors.error('TANDEM_SIM_SITE', `${file}: cannot read state: ${(error as Error).message}`);
  }
  const state = JSON.parse(text) as SiteState;
  if (typeof state?.energyKwh !== 'object' || Object.values(state.energyKwh).some((v) => typeof v !== 'number')) {
    throw simErrors.error('TANDEM_SIM_SITE', `${file}: energyKwh is not a map of meter id to kWh`);
  }
  return state;
}

/** Written to a temporary file and renamed, so a crash mid-write leaves the last good state. */
export function writeState(file: string, energyKwh: Record<string, number>, savedAt = Date.now()): void {
  writeFileSync(`${file}.tmp`, JSON.stringify({ savedAt, energyKwh } satisfies SiteState, null, 1) + '\n');
  renameSync(`${file}.tmp`, file);
}
