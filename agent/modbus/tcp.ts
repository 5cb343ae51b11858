// Modbus TCP (MBAP) and raw RTU over TCP (serial device servers / TCP-to-RTU converters that
// pass RTU frames through unchanged) share the socket; only the framing differs.
import net from 'node:net';
import { modbusErrors } from './errors.js';
import { mbapFramer, rtuFramer } from './framing.js';
import { StreamTransport } from './stream-transport.js';
import { DEAD_PEER_MS, type TransportOptions } from './types.js';

/** Giving up on a TCP connect: a gateway on 4G may be slow, a dead host should not hang a cycle. */
const CONNECT_TIMEOUT_MS = 5000;
/** TCP keep-alive probes find a peer that vanished without closing (power cut, cable pulled). */
const KEEPALIVE_INITIAL_DELAY_MS = 10_000;

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (nothing listens on that port)',
  ENOTFOUND: 'host name not found',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'timed out',
  ECONNRESET: 'connection reset by the peer',
};

export function connectSocket(host: string, port: number, description: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const fail = (reason: string) => {
      clearTimeout(timer);
      socket.destroy();
      reject(modbusErrors.error('TANDEM_MODBUS_CONNECT_FAILED', `cannot connect to ${description}: ${reason}`, { host, port }));
    };
    const timer = setTimeout(() => fail(`no answer within ${CONNECT_TIMEOUT_MS} ms`), CONNECT_TIMEOUT_MS);
    socket.once('error', (error: NodeJS.ErrnoException) => fail(REASONS[error.code ?? ''] ?? error.message));
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.setNoDelay(true);
      socket.setKeepAlive(true, KEEPALIVE_INITIAL_DELAY_MS);
      resolve(socket);
    });
  });
}

export function tcpTransport(host: string, port: number, options?: TransportOptions): StreamTransport {
  const description = `tcp ${host}:${port}`;
  const spec = { kind: 'tcp', description, framer: mbapFramer(), lineSilenceMs: 0, deadPeerMs: options?.deadPeerMs ?? DEAD_PEER_MS, open: () => connectSocket(host, port, description) } as const;
  return new StreamTransport(spec, options);
}

export function rtuOverTcpTransport(host: string, port: number, options?: TransportOptions): StreamTransport {
  const description = `rtu-over-tcp ${host}:${port}`;
  // The converter owns the serial timing on its side; the socket itself needs no gap.
  const spec = { kind: 'rtu-over-tcp', description, framer: rtuFramer(), lineSilenceMs: 0, deadPeerMs: options?.deadPeerMs ?? DEAD_PEER_MS, open: () => connectSocket(host, port, description) } as const;
  return new StreamTransport(spec, options);
}
