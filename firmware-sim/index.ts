// The simulator's library API: meters, buses, sites, history.
export { MeterEmulator, type MeterOptions } from './meter/emulator.js';
export { FAULT_KINDS, TRANSPORT_FAULTS, EXCEPTION, ModbusException, parseFault, type Fault, type FaultKind } from './meter/faults.js';
export { startBus, type BusOptions, type BusTransport, type RunningBus } from './bus.js';
export { bitsPerChar, charMs, frameGapMs, exchangeMs, type LineSettings, type Parity } from './modbus/line-timing.js';
export { crc16, withCrc, hasValidCrc } from './modbus/crc16.js';
export { simErrors } from './errors.js';
