// The demo prefers the usual ports but must run beside whatever else this machine runs
// (a Mosquitto on 1883 here): a taken port falls back to one the OS picks.
import net from 'node:net';

/** `preferred` when it can be bound on `host` now, otherwise 0 (the OS picks). */
export function portOrAny(preferred: number, host: string): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(0));
    probe.listen({ port: preferred, host, exclusive: true }, () => probe.close(() => resolve(preferred)));
  });
}
