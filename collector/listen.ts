// Binds a server and reports where it listens; a taken port becomes an error that says
// which flag to change, instead of an EADDRINUSE stack trace.
import type { Server } from 'node:net';
import { collectorError } from './errors.js';

export interface Address {
  host: string;
  port: number;
}

const FLAGS = { MQTT: '--mqtt-port', HTTP: '--http-port', WebSocket: '--ws-port' } as const;

export function listen(server: Server, host: string, port: number, what: keyof typeof FLAGS): Promise<Address> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const flag = FLAGS[what];
      reject(
        error.code === 'EADDRINUSE'
          ? collectorError('TANDEM_COLLECTOR_PORT_IN_USE', `${what} port ${port} on ${host} is already in use; choose another with ${flag} (0 picks a free one)`)
          : error,
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      resolve({ host: urlHost(host), port: actual });
    });
  });
}

/** A host gateways and browsers can use in a URL: wildcard binds become loopback, IPv6 gets brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
