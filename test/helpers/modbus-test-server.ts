// A small Modbus slave for the agent's tests, until and beside firmware-sim: Modbus TCP or
// RTU framing, over a TCP listener or a serial path (one end of a pty pair). Every register
// answers its own address unless told otherwise, so decoded values are self-evident.
// Faults per unit: silent, late, bad CRC, registers that answer "illegal data address".
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { SerialPort } from 'serialport';
import { hasValidCrc, rtuFrame } from '../../agent/modbus/crc.js';

export interface TestSlave {
  /** register value, default the register's own address */
  value?: (fc: number, address: number) => number;
  silent?: boolean;
  /** registers that make any request touching them answer exception 02 */
  illegal?: number[];
  badCrc?: boolean;
  /** answer this late */
  delayMs?: number;
}

export interface TestServerOptions {
  framing: 'tcp' | 'rtu';
  /** units that exist; any other unit never answers */
  slaves: Record<number, TestSlave>;
  /** emulate a serial line: each answer waits for request + response bytes at this speed */
  baud?: number;
  /** the slave's processing time before it answers */
  turnaroundMs?: number;
}

export interface LoggedRequest {
  unit: number;
  fc: number;
  address: number;
  count: number;
  t: number;
}

export interface TestServer {
  /** TCP port, or 0 on a serial path */
  port: number;
  slaves: Record<number, TestSlave>;
  requests: LoggedRequest[];
  /** registers written with FC 16, per unit */
  written: Map<number, Map<number, number>>;
  /** closes every client connection (the listener stays) */
  dropClients(): void;
  close(): Promise<void>;
}

const BITS_PER_CHARACTER = 11;

export async function startTcpTestServer(options: TestServerOptions, port = 0): Promise<TestServer> {
  const sockets = new Set<net.Socket>();
  const core = createCore(options);
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    core.attach(socket);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  return {
    ...core.state,
    port: (server.address() as net.AddressInfo).port,
    dropClients: () => sockets.forEach((s) => s.destroy()),
    close: () => {
      sockets.forEach((s) => s.destroy());
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export async function startSerialTestServer(path: string, options: TestServerOptions): Promise<TestServer> {
  const port = new SerialPort({ path, baudRate: options.baud ?? 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  const core = createCore(options);
  core.attach(port);
  return {
    ...core.state,
    port: 0,
    dropClients: () => undefined,
    close: () => new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())),
  };
}

function createCore(options: TestServerOptions) {
  const state = { slaves: options.slaves, requests: [] as LoggedRequest[], written: new Map<number, Map<number, number>>() };

  function answer(unit: number, pdu: Buffer): Buffer | undefined {
    const slave = state.slaves[unit];
    const fc = pdu[0]!;
    const address = pdu.readUInt16BE(1);
    const count = pdu.readUInt16BE(3);
    state.requests.push({ unit, fc, address, count, t: Date.now() });
    if (!slave || slave.silent) return undefined;
    const touches = (slave.illegal ?? []).some((r) => r >= address && r < address + count);
    if (touches || (fc !== 3 && fc !== 4 && fc !== 16)) return Buffer.from([fc | 0x80, touches ? 2 : 1]);
    const regs = state.written.get(unit) ?? new Map<number, number>();
    state.written.set(unit, regs);
    if (fc === 16) {
      for (let i = 0; i < count; i++) regs.set(address + i, pdu.readUInt16BE(6 + i * 2));
      return pdu.subarray(0, 5);
    }
    const out = Buffer.alloc(2 + count * 2);
    out[0] = fc;
    out[1] = count * 2;
    for (let i = 0; i < count; i++) out.writeUInt16BE(regs.get(address + i) ?? (slave.value?.(fc, address + i) ?? address + i) & 0xffff, 2 + i * 2);
    return out;
  }

  function lineDelayMs(requestBytes: number, responseBytes: number, slave: TestSlave | undefined): number {
    const wire = options.baud ? ((requestBytes + responseBytes) * BITS_PER_CHARACTER * 1000) / options.baud : 0;
    return wire + (options.turnaroundMs ?? 0) + (slave?.delayMs ?? 0);
  }

  /** Cuts requests out of the stream; RTU requests have a fixed shape per function code. */
  function attach(stream: Duplex): void {
    let buffer = Buffer.alloc(0);
    let busy = Promise.resolve();
    stream.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const length = options.framing === 'tcp' ? mbapLength(buffer) : rtuLength(buffer);
        if (length === undefined || buffer.length < length) break;
        const frame = buffer.subarray(0, length);
        buffer = buffer.subarray(length);
        busy = busy.then(() => serve(stream, frame));
      }
    });
  }

  async function serve(stream: Duplex, frame: Buffer): Promise<void> {
    const tcp = options.framing === 'tcp';
    if (!tcp && !hasValidCrc(frame)) return;
    const unit = tcp ? frame[6]! : frame[0]!;
    const pdu = tcp ? frame.subarray(7) : frame.subarray(1, frame.length - 2);
    const response = answer(unit, pdu);
    if (!response) return;
    const slave = state.slaves[unit];
    const adu = tcp ? mbap(frame.readUInt16BE(0), unit, response) : rtuFrame(unit, response);
    if (!tcp && slave?.badCrc) adu[adu.length - 1] ^= 0xff;
    const delay = lineDelayMs(frame.length, adu.length, slave);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (!stream.destroyed) stream.write(adu);
  }

  return { state, attach };
}

function mbap(tid: number, unit: number, pdu: Buffer): Buffer {
  const head = Buffer.alloc(7);
  head.writeUInt16BE(tid, 0);
  head.writeUInt16BE(pdu.length + 1, 4);
  head[6] = unit;
  return Buffer.concat([head, pdu]);
}

function mbapLength(buffer: Buffer): number | undefined {
  return buffer.length < 6 ? undefined : 6 + buffer.readUInt16BE(4);
}

function rtuLength(buffer: Buffer): number | undefined {
  if (buffer.length < 2) return undefined;
  if (buffer[1] !== 16) return 8;
  return buffer.length < 7 ? undefined : 9 + buffer[6]!;
}

