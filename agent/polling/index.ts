// The bus scheduler: createPoller per physical bus. The seam with the delivery half.
export { createPoller } from './poller.js';
export { pollingErrors } from './errors.js';
export type { BusPoller, BusStats, MeterStats, PolledReading, PollerOptions } from './types.js';
