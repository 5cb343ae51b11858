// The meters of one bus and what each does with a request, faults included. The transports
// (TCP, RTU, RTU over TCP) only frame bytes around this.
import type { MeterEmulator } from '../meter/emulator.js';
import { answer, exceptionPdu } from './pdu.js';

export type Outcome =
  /** Nobody answers (unknown unit on a serial line, broadcast, 'silent' fault). */
  | { kind: 'silent' }
  /** `corrupt`: send it with a broken frame check ('bad-crc'). */
  | { kind: 'reply'; pdu: Buffer; delayMs: number; corrupt: boolean };

export class BusCore {
  readonly meters = new Map<number, MeterEmulator>();
  /** Requests seen and replies sent, for status lines and tests. */
  requests = 0;

  constructor(meters: MeterEmulator[]) {
    for (const m of meters) this.meters.set(m.unit, m);
  }

  /** What the addressed meter does with `pdu`; `undefined` meter → silent (callers map it per transport). */
  handle(unit: number, pdu: Buffer): Outcome {
    this.requests++;
    const meter = this.meters.get(unit);
    if (!meter) return { kind: 'silent' };
    const fault = meter.fault;
    switch (fault?.kind) {
      case 'silent':
        return { kind: 'silent' };
      case 'exception':
        return { kind: 'reply', pdu: exceptionPdu(pdu[0], fault.code), delayMs: 0, corrupt: false };
      default:
        return { kind: 'reply', pdu: answer(meter, pdu), delayMs: fault?.kind === 'slow' ? fault.delayMs : 0, corrupt: fault?.kind === 'bad-crc' };
    }
  }
}
