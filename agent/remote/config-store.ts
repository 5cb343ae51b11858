// The last good remote configuration, kept beside the local file so that a restart runs
// what the collector last had accepted, even before the broker is reachable.
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../config/atomic-write.js';
import { validateMessage, formatIssues, type Config } from '../../protocol/index.js';
import type { Logger } from '../../lib/logger.js';

export function saveLastGood(path: string, config: Config): void {
  writeFileAtomic(path, JSON.stringify(config, null, 2) + '\n');
}

/** The stored configuration, or null when there is none or it no longer validates (logged). */
export function loadLastGood(path: string, logger: Logger): Config | null {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn({ path, err: (error as Error).message }, 'ignored an unreadable last good config');
    return null;
  }
  const checked = validateMessage('config', raw);
  if (checked.ok) return checked.value;
  logger.warn({ path, errors: formatIssues(checked.errors) }, 'ignored a last good config that no longer validates');
  return null;
}
