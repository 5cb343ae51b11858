// A Modbus master over any byte stream (socket or serial port): one request in flight,
// per-request timeout, the silence a line needs between frames, and a 'disconnect' event
// when the stream dies by itself. The three transports differ only in how they open the
// stream and frame the bytes.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { modbusErrors } from './errors.js';
import type { Framer } from './framing.js';
import { parseResponse, readRequest, writeRequest, type ReadFc, type Request } from './pdu.js';
import { DEFAULT_TIMEOUT_MS, type Transport, type TransportKind, type TransportOptions } from './types.js';

/** How long close() waits for the stream to report it closed. */
const CLOSE_WAIT_MS = 2000;
/**
 * RTU frames carry no transaction id, so an answer that comes after its timeout looks like the
 * answer to the next request of the same shape. After a timeout the line is kept quiet this
 * long and whatever arrives meanwhile is dropped (the same remedy as libmodbus' flush).
 */
const RTU_LATE_ANSWER_GUARD_MS = 100;

export interface StreamSpec {
  kind: TransportKind;
  description: string;
  framer: Framer;
  /** Opens the stream or throws TANDEM_MODBUS_CONNECT_FAILED. */
  open: () => Promise<Duplex>;
  /** Minimum silence between frames, e.g. RTU t3.5. */
  lineSilenceMs: number;
  /**
   * A socket from which nothing at all has arrived for this long while requests went
   * unanswered is treated as dead and dropped: a peer that lost power never closes the
   * connection, and keep-alive alone takes Linux ~11 min to notice. Unset for serial ports.
   */
  deadPeerMs?: number;
  /** Whether the device is still there, asked after a timeout: an unplugged USB adapter's node vanishes even when no read error reported it. */
  stillThere?: () => boolean;
  /** Releases the stream when destroy() does not (a serial port keeps its fd and lock). */
  shut?: (stream: Duplex) => Promise<void>;
}

interface Pending {
  request: Request;
  resolve: (registers: number[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class StreamTransport extends EventEmitter implements Transport {
  readonly kind: TransportKind;
  readonly description: string;
  private stream: Duplex | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private quietUntil = 0;
  private lastReceivedT = 0;
  private closing = false;
  private readonly timeoutMs: number;
  private readonly silenceMs: number;

  constructor(
    private readonly spec: StreamSpec,
    options: TransportOptions = {},
  ) {
    super();
    this.kind = spec.kind;
    this.description = spec.description;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.silenceMs = Math.max(spec.lineSilenceMs, options.interFrameDelayMs ?? 0);
  }

  get connected(): boolean {
    return this.stream !== undefined;
  }

  async connect(): Promise<void> {
    if (this.stream) return;
    const stream = await this.spec.open();
    this.closing = false;
    this.buffer = Buffer.alloc(0);
    this.lastReceivedT = Date.now();
    this.stream = stream;
    let cause: Error | undefined;
    stream.on('data', (chunk: Buffer) => this.receive(chunk));
    stream.on('error', (error: Error) => (cause = error));
    stream.once('close', () => this.lost(stream, cause ?? new Error('closed by the peer')));
  }

  async close(): Promise<void> {
    const stream = this.stream;
    if (!stream) return;
    this.closing = true;
    this.lost(stream, new Error('closed'));
    if (this.spec.shut) return this.spec.shut(stream);
    if (stream.destroyed && stream.closed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, CLOSE_WAIT_MS);
      stream.once('close', () => (clearTimeout(timer), resolve()));
      stream.destroy();
    });
  }

  readRegisters(unit: number, fc: ReadFc, address: number, count: number, timeoutMs?: number): Promise<number[]> {
    return this.enqueue(readRequest(unit, fc, address, count), timeoutMs);
  }

  async writeRegisters(unit: number, address: number, values: number[], timeoutMs?: number): Promise<void> {
    await this.enqueue(writeRequest(unit, address, values), timeoutMs);
  }

  private enqueue(request: Request, timeoutMs = this.timeoutMs): Promise<number[]> {
    const run = this.queue.then(() => this.transact(request, timeoutMs));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async transact(request: Request, timeoutMs: number): Promise<number[]> {
    const wait = this.quietUntil - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const stream = this.stream;
    if (!stream) throw modbusErrors.error('TANDEM_MODBUS_DISCONNECTED', `${this.description}: not connected`);
    if (this.spec.framer.clearBeforeSend) this.buffer = Buffer.alloc(0);
    return new Promise<number[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settle(undefined, modbusErrors.error('TANDEM_MODBUS_TIMEOUT', `${this.description}: unit ${request.unit} did not answer within ${timeoutMs} ms`));
        if (this.spec.framer.clearBeforeSend) this.quietUntil = Math.max(this.quietUntil, Date.now() + RTU_LATE_ANSWER_GUARD_MS);
        const silentMs = Date.now() - this.lastReceivedT;
        if (this.spec.deadPeerMs !== undefined && silentMs >= this.spec.deadPeerMs) {
          stream.destroy(new Error(`nothing received for ${Math.round(silentMs / 1000)} s: peer presumed gone`));
        } else if (this.spec.stillThere?.() === false) {
          stream.destroy(new Error('the device is gone'));
        }
      }, timeoutMs);
      this.pending = { request, resolve, reject, timer };
      stream.write(this.spec.framer.encode(request));
    });
  }

  private receive(chunk: Buffer): void {
    this.lastReceivedT = Date.now();
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length > 0) {
      const { consumed, pdu, error } = this.spec.framer.extract(this.pending?.request, this.buffer);
      if (consumed === 0) break;
      this.buffer = this.buffer.subarray(consumed);
      if (!this.pending) continue;
      if (error) this.settle(undefined, error);
      else if (pdu) {
        try {
          this.settle(parseResponse(this.pending.request, pdu));
        } catch (failure) {
          this.settle(undefined, failure as Error);
        }
      }
    }
    if (this.pending) return;
    this.quietUntil = Math.max(this.quietUntil, Date.now() + this.silenceMs);
  }

  private settle(registers: number[] | undefined, error?: Error): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    this.quietUntil = Date.now() + this.silenceMs;
    if (error) pending.reject(error);
    else pending.resolve(registers!);
  }

  private lost(stream: Duplex, cause: Error): void {
    if (this.stream !== stream) return;
    this.stream = undefined;
    const error = modbusErrors.error('TANDEM_MODBUS_DISCONNECTED', `${this.description}: ${cause.message}`);
    this.settle(undefined, error);
    if (!this.closing) this.emit('disconnect', error);
  }
}
