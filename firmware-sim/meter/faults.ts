// What can go wrong with one meter, as a gateway sees it. Transport faults change how the
// meter answers a request; value faults change what it measures.

export type Fault =
  /** No reply at all, as a meter that lost power or its RS-485 wiring. */
  | { kind: 'silent' }
  /** Replies, but only after `delayMs` (set it near the master's timeout). */
  | { kind: 'slow'; delayMs: number }
  /** The reply's CRC is wrong (RTU); on Modbus TCP, which has no CRC, the MBAP header is malformed. */
  | { kind: 'bad-crc' }
  /** Every read is answered with this Modbus exception code (MODBUS Application Protocol §7). */
  | { kind: 'exception'; code: number }
  /** The import energy counter restarts from 0 (meter replaced or cleared) and counts on from there. */
  | { kind: 'energy-reset' }
  /** CT mounted backwards: active power and PF turn negative, import energy stops growing. */
  | { kind: 'reversed-ct' }
  /** One phase's voltage and current drop to 0 (blown fuse); power falls by a third. */
  | { kind: 'lost-phase'; phase: 1 | 2 | 3 }
  /** Every register keeps the value it had when the fault began. */
  | { kind: 'frozen' };

export type FaultKind = Fault['kind'];

export const FAULT_KINDS: readonly FaultKind[] = ['silent', 'slow', 'bad-crc', 'exception', 'energy-reset', 'reversed-ct', 'lost-phase', 'frozen'];

/** Faults a gateway meets as a missing or broken reply rather than as odd values. */
export const TRANSPORT_FAULTS: readonly FaultKind[] = ['silent', 'slow', 'bad-crc', 'exception'];

export function isFaultKind(value: unknown): value is FaultKind {
  return FAULT_KINDS.includes(value as FaultKind);
}

/** Modbus exception codes (MODBUS Application Protocol v1.1b3 §7). */
export const EXCEPTION = {
  ILLEGAL_FUNCTION: 0x01,
  ILLEGAL_DATA_ADDRESS: 0x02,
  ILLEGAL_DATA_VALUE: 0x03,
  SLAVE_DEVICE_FAILURE: 0x04,
  SLAVE_DEVICE_BUSY: 0x06,
  GATEWAY_TARGET_FAILED: 0x0b,
} as const;

/** A request the meter refuses with an exception response. */
export class ModbusException extends Error {
  override name = 'ModbusException';
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/** Reads a fault from loose input (CLI, control commands, site files); returns a reason when it is wrong. */
export function parseFault(kind: string, params: Record<string, unknown>): Fault | string {
  switch (kind) {
    case 'silent':
    case 'bad-crc':
    case 'energy-reset':
    case 'reversed-ct':
    case 'frozen':
      return { kind };
    case 'slow': {
      const delayMs = Number(params.delayMs ?? 800);
      return Number.isFinite(delayMs) && delayMs >= 0 && delayMs <= 60_000 ? { kind, delayMs } : `delayMs must be 0..60000, got ${String(params.delayMs)}`;
    }
    case 'exception': {
      const code = Number(params.code ?? EXCEPTION.SLAVE_DEVICE_FAILURE);
      return Number.isInteger(code) && code >= 1 && code <= 0x0b ? { kind, code } : `code must be an exception code 1..11, got ${String(params.code)}`;
    }
    case 'lost-phase': {
      const phase = Number(params.phase ?? 1);
      return phase === 1 || phase === 2 || phase === 3 ? { kind, phase } : `phase must be 1, 2 or 3, got ${String(params.phase)}`;
    }
    default:
      return `unknown fault '${kind}' (known: ${FAULT_KINDS.join(', ')})`;
  }
}
