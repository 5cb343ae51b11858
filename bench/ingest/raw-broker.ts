// Baseline contender for the ingest benchmark: the same broker library (aedes) with no
// ingest behind it — every client accepted, one in-process subscriber that discards. What
// the broker alone can carry bounds what ingest can store.
import net from 'node:net';
import { Aedes } from 'aedes';
import { filterFor } from '../../protocol/index.js';

const broker = await Aedes.createBroker({});
await new Promise<void>((resolve) => broker.subscribe(filterFor('backlog'), (_packet, callback) => callback(), resolve));
const server = net.createServer(broker.handle);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as net.AddressInfo;
  process.stdout.write(`${JSON.stringify({ mqttUrl: `mqtt://127.0.0.1:${port}` })}\n`);
});
process.once('SIGTERM', () => broker.close(() => server.close(() => process.exit(0))));
