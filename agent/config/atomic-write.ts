// Files the agent rewrites (last good config, status, enrolled config) are replaced whole:
// written to a temporary file, flushed, then renamed over the old one (rename is atomic
// on POSIX), so a crash or power cut leaves the old file or the new one, never half of one.
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

export function writeFileAtomic(path: string, text: string, mode = 0o644): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', mode);
  try {
    fchmodSync(fd, mode); // a leftover temporary file keeps its old mode otherwise
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

