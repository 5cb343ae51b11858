// The registry of meter profiles. Every file is validated when this module loads, so a broken
// profile stops the program at start. A test keeps this list and the folder in step.
import { profileErrors, validateProfile, type Profile } from '../profile.js';
import adw300 from './adw300.json' with { type: 'json' };
import dtsd1352 from './dtsd1352.json' with { type: 'json' };
import dtsu666 from './dtsu666.json' with { type: 'json' };
import em24 from './em24.json' with { type: 'json' };
import iem3000 from './iem3000.json' with { type: 'json' };
import sdm630 from './sdm630.json' with { type: 'json' };

const FILES: Record<string, unknown> = {
  'adw300.json': adw300,
  'dtsd1352.json': dtsd1352,
  'dtsu666.json': dtsu666,
  'em24.json': em24,
  'iem3000.json': iem3000,
  'sdm630.json': sdm630,
};

export const PROFILES: ReadonlyMap<string, Profile> = new Map(
  Object.entries(FILES).map(([file, source]) => {
    const profile = validateProfile(source, file);
    return [profile.id, profile];
  }),
);

export const PROFILE_IDS: readonly string[] = [...PROFILES.keys()];

export function getProfile(id: string): Profile {
  const profile = PROFILES.get(id);
  if (!profile) throw profileErrors.error('TANDEM_PROFILE_UNKNOWN', `no meter profile '${id}' (known: ${PROFILE_IDS.join(', ')})`, { id });
  return profile;
}
