// The hook through which stored readings reach the models (collector/models plugs in here).
// Called after the commit and the acks, outside their path: a slow model never delays an ack.
import type { FacilityReading } from '../models/contract.js';
import type { TouchedRange } from '../store/store.js';

export interface StoredEvent {
  /** Readings new to the store (resends and flagged instants left out), in arrival order. */
  readings: FacilityReading[];
  /** Per facility, the minutes whose rollup changed (a late backlog touches old minutes). */
  touched: TouchedRange[];
}

export interface Analysis {
  onStored(event: StoredEvent): void;
}

export const NO_ANALYSIS: Analysis = { onStored() {} };
