// The broker Node-RED publishes to: aedes, every client accepted, counting what arrives
// (not what was sent). Forked by the bench; reports the event time of every reading that
// reached it over IPC, and exits on SIGTERM after a last report (a broker outage).
import net from 'node:net';
import { Aedes } from 'aedes';

const REPORT_MS = 500;
const port = Number(process.argv[2] ?? 0);
let arrived: number[] = [];
const report = () => {
  if (arrived.length) process.send!({ arrived });
  arrived = [];
};

const broker = await Aedes.createBroker({});
broker.on('publish', (packet, client) => {
  if (!client) return; // aedes' own $SYS messages
  try {
    arrived.push((JSON.parse(packet.payload.toString()) as { t: number }).t);
  } catch {
    // not a reading: not counted
  }
});
const timer = setInterval(report, REPORT_MS);
const server = net.createServer(broker.handle);
server.listen(port, '127.0.0.1', () => process.send!({ port: (server.address() as net.AddressInfo).port }));
process.once('SIGTERM', () => {
  clearInterval(timer);
  report();
  broker.close(() => server.close(() => process.disconnect()));
});
