// Counters shown by the health API; they say what ingest did since the process started.
export interface IngestStats {
  messages: number;
  readingsStored: number;
  /** Readings already stored when they arrived again (resends after a lost ack). */
  readingsDuplicate: number;
  /** Stored but kept out of rollups: timestamp far in the future or implausibly old. */
  readingsFlagged: number;
  quarantined: number;
  acksSent: number;
  commits: number;
  storeErrors: number;
  lastCommitAt: number | null;
}

export function emptyStats(): IngestStats {
  return {
    messages: 0,
    readingsStored: 0,
    readingsDuplicate: 0,
    readingsFlagged: 0,
    quarantined: 0,
    acksSent: 0,
    commits: 0,
    storeErrors: 0,
    lastCommitAt: null,
  };
}
