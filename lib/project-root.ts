// The repository root, whether this code runs from its sources (tests) or from dist/.
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL(import.meta.url.includes('/dist/lib/') ? '../../' : '../', import.meta.url));
