// The example sites shipped in firmware-sim/sites/ (the demo plays them, the models are
// scored on them), found from the sources or from dist/ alike.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/project-root.js';

export const EXAMPLE_SITES_DIR = join(PROJECT_ROOT, 'firmware-sim', 'sites');

/** The example site files, sorted by name. */
export function exampleSiteFiles(): string[] {
  return readdirSync(EXAMPLE_SITES_DIR)
    .filter((f) => /\.ya?ml$|\.json$/.test(f))
    .sort()
    .map((f) => join(EXAMPLE_SITES_DIR, f));
}
