// The `set-log-level` command must reach every logger of the agent, but a pino child keeps
// the level it was created with. So the root's onChild hook (inherited by every
// descendant) records each child, weakly, and the level is set on all of them.
import type { Logger } from '../../lib/logger.js';

export function logLevelControl(root: Logger): (level: string) => void {
  const children = new Set<WeakRef<Logger>>();
  root.onChild = (child) => {
    children.add(new WeakRef(child));
  };
  return (level) => {
    root.level = level;
    for (const ref of children) {
      const child = ref.deref();
      if (child) child.level = level;
      else children.delete(ref);
    }
  };
}
