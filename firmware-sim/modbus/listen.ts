// A TCP listener that reports a busy port or bad host as TANDEM_SIM_LISTEN and can be closed
// with all its connections.
import net from 'node:net';
import { simErrors } from '../errors.js';

export interface Listener {
  port: number;
  close(): Promise<void>;
}

export function listen(host: string, port: number, onConnection: (socket: net.Socket) => void): Promise<Listener> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    // A master that vanishes mid-request is its own business; keep serving the others.
    socket.on('error', () => socket.destroy());
    onConnection(socket);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'the port is already in use' : error.message;
      reject(simErrors.error('TANDEM_SIM_LISTEN', `cannot listen on ${host}:${port}: ${reason}`, { host, port, cause: error.code }));
    });
    server.listen({ host, port }, () => {
      const address = server.address() as net.AddressInfo;
      resolve({
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
