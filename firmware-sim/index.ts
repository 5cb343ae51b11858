// The simulator's library API: meters, buses, sites, history.
export { MeterEmulator, type MeterOptions } from './meter/emulator.js';
export { FAULT_KINDS, TRANSPORT_FAULTS, EXCEPTION, ModbusException, parseFault, type Fault, type FaultKind } from './meter/faults.js';
export { startBus, type BusOptions, type BusTransport, type RunningBus } from './bus.js';
export { bitsPerChar, charMs, frameGapMs, exchangeMs, type LineSettings, type Parity } from './modbus/line-timing.js';
export { crc16, withCrc, hasValidCrc } from './modbus/crc16.js';
export { simErrors } from './errors.js';
export { EXAMPLE_SITES_DIR, exampleSiteFiles } from './site/example-sites.js';
export { loadSite, parseSite, type Site, type SiteBus, type SimSettings, type FacilitySim } from './site/site-file.js';
export { simulateHistory, DEFAULT_HISTORY_INTERVAL_S, type History, type HistoryOptions, type HistoryReading } from './site/history.js';
export type { Label, Order, Notice, GroundTruth } from './site/labels.js';
export { KINDS as SCENARIO_INFO, SCENARIO_KINDS, PROCESS_KINDS, type ScenarioKind } from './site/scenario-kinds.js';
export type { ScenarioSpec } from './site/scenario-spec.js';
export { Plant, RUNNING_FRACTION, RUNNING_LEVEL } from './site/plant.js';
export { readState, writeState, type SiteState } from './site/state-file.js';
export { runSite, type RunningSite, type SiteOptions, type InjectSpec } from './site/run-site.js';
