// Raw RTU frames over TCP, as serial-to-Ethernet converters and 4G DTUs carry them: no MBAP
// header, CRC included. Every connection talks to the same simulated RS-485 line.
import type { BusCore } from './bus-core.js';
import { listen, type Listener } from './listen.js';
import { RtuLine, type RtuLineOptions } from './rtu-slave.js';

export function serveRtuOverTcp(core: BusCore, host: string, port: number, line: RtuLineOptions): Promise<Listener> {
  const rtu = new RtuLine(core, line);
  return listen(host, port, (socket) => {
    const reader = rtu.stream((frame) => {
      if (!socket.destroyed) socket.write(frame);
    });
    socket.on('data', reader.feed);
    socket.on('close', reader.close);
  });
}
