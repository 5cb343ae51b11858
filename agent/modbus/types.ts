// One interface for the three ways a gateway reaches its meters; the scheduler, `read` and
// `scan` only speak this. The contract suite (test/agent/transport-contract.test.ts) runs
// every implementation through the same cases.
import type { ReadFc } from './pdu.js';

export type TransportKind = 'tcp' | 'rtu-over-tcp' | 'rtu';
export type Parity = 'none' | 'even' | 'odd';

/** Where the bus is: a Bus from protocol/messages.ts fits this shape. */
export type TransportTarget =
  | { kind: 'tcp' | 'rtu-over-tcp'; host: string; port: number }
  | { kind: 'rtu'; path: string; baud: number; parity?: Parity; dataBits?: 7 | 8; stopBits?: 1 | 2 };

export interface TransportOptions {
  /** per request, default DEFAULT_TIMEOUT_MS */
  timeoutMs?: number;
  /** extra silence before each request, on top of the RTU t3.5 gap */
  interFrameDelayMs?: number;
  /** TCP only: drop the connection when nothing arrived this long while requests timed out (default DEAD_PEER_MS) */
  deadPeerMs?: number;
}

export interface Transport {
  readonly kind: TransportKind;
  /** e.g. "tcp 10.0.0.5:502", "rtu /dev/ttyUSB0 9600 8N1": for logs and errors */
  readonly description: string;
  readonly connected: boolean;
  /** Opens the socket or port; throws TANDEM_MODBUS_CONNECT_FAILED with the reason. */
  connect(): Promise<void>;
  /** Closes without a 'disconnect' event; pending requests fail with TANDEM_MODBUS_DISCONNECTED. */
  close(): Promise<void>;
  /** FC 03/04. Requests are serialised: one in flight, whoever calls. */
  readRegisters(unit: number, fc: ReadFc, address: number, count: number, timeoutMs?: number): Promise<number[]>;
  /** FC 16. */
  writeRegisters(unit: number, address: number, values: number[], timeoutMs?: number): Promise<void>;
  /** The socket or port went away by itself (peer closed, adapter unplugged). */
  on(event: 'disconnect', listener: (error: Error) => void): this;
  off(event: 'disconnect', listener: (error: Error) => void): this;
}

/** Modbus TCP needs no more; a slow RTU gateway may, and the bus config can raise it. */
export const DEFAULT_TIMEOUT_MS = 1000;
/** No byte for this long from a TCP peer that is being asked: reconnect. Longer than the scheduler's longest back-off (60 s), so a peer that answers anything is never dropped. */
export const DEAD_PEER_MS = 90_000;
