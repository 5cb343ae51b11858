// The hook through which stored readings reach the models (collector/models plugs in here).
// Called after the commit and the acks, outside their path: a slow model never delays an ack.
import type { FacilityReading } from '../models/contract.js';
import type { Logger } from '../../lib/logger.js';
import type { Store, TouchedRange } from '../store/store.js';

export interface StoredEvent {
  /** Readings new to the store (resends and flagged instants left out), in arrival order. */
  readings: FacilityReading[];
  /** Per facility, the minutes whose rollup changed (a late backlog touches old minutes). */
  touched: TouchedRange[];
}

export interface Analysis {
  onStored(event: StoredEvent): void;
  /** Called on shutdown after ingest's last commit (flush pending evaluations, timers). */
  stop?(): void | Promise<void>;
  /** What it has done since start, for the health endpoint. */
  stats?(): object;
}

/** Builds the analysis once the store is open (the models read minutes and registry from it). */
export type AnalysisFactory = (context: { store: Store; log: Logger }) => Analysis | Promise<Analysis>;

export const NO_ANALYSIS: Analysis = { onStored() {} };
