// Modbus TCP is a byte stream: a server may put two responses in one segment or split one
// response over two (node-modbus-serial #264, #369). A hand-made server controls exactly
// where the bytes are cut.
import net from 'node:net';
import t, { type Test } from 'tap';
import { createTransport } from '../../agent/modbus/index.js';

const TIMEOUT_MS = 500;
/** Long enough that the two halves leave in separate segments (Nagle is off on both ends). */
const SEGMENT_GAP_MS = 30;

interface Request {
  tid: number;
  unit: number;
  address: number;
  count: number;
}

/** Answers FC 03 with registers equal to their address, letting `reply` decide how the bytes go out. */
async function startServer(reply: (socket: net.Socket, request: Request, answer: Buffer) => Promise<void> | void) {
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    let buffer = Buffer.alloc(0);
    let chain = Promise.resolve();
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 12) {
        const frame = buffer.subarray(0, 12);
        buffer = buffer.subarray(12);
        const request = { tid: frame.readUInt16BE(0), unit: frame[6]!, address: frame.readUInt16BE(8), count: frame.readUInt16BE(10) };
        chain = chain.then(() => reply(socket, request, answerFor(request)));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as net.AddressInfo).port };
}

function answerFor({ tid, unit, address, count }: Request): Buffer {
  const adu = Buffer.alloc(9 + count * 2);
  adu.writeUInt16BE(tid, 0);
  adu.writeUInt16BE(3 + count * 2, 4);
  adu[6] = unit;
  adu[7] = 3;
  adu[8] = count * 2;
  for (let i = 0; i < count; i++) adu.writeUInt16BE(address + i, 9 + i * 2);
  return adu;
}

/** A connected TCP transport, closed with the server at the end of the test. */
async function connectTo(t: Test, server: net.Server, port: number) {
  const transport = createTransport({ kind: 'tcp', host: '127.0.0.1', port }, { timeoutMs: TIMEOUT_MS });
  t.teardown(async () => (await transport.close(), server.close()));
  await transport.connect();
  return transport;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

t.test('tcp transport – one response split over two segments decodes', async (t) => {
  const { server, port } = await startServer(async (socket, _request, answer) => {
    // Cut inside the MBAP header: the length field is not even complete.
    socket.write(answer.subarray(0, 3));
    await pause(SEGMENT_GAP_MS);
    socket.write(answer.subarray(3));
  });
  const transport = await connectTo(t, server, port);
  t.same(await transport.readRegisters(1, 3, 0x2006, 4), [0x2006, 0x2007, 0x2008, 0x2009]);
  t.same(await transport.readRegisters(1, 3, 0x10, 2), [0x10, 0x11], 'the next request is unaffected');
});

t.test('tcp transport – a response split inside its data decodes', async (t) => {
  const { server, port } = await startServer(async (socket, _request, answer) => {
    socket.write(answer.subarray(0, 12));
    await pause(SEGMENT_GAP_MS);
    socket.write(answer.subarray(12));
  });
  const transport = await connectTo(t, server, port);
  t.same(await transport.readRegisters(1, 3, 100, 10), [100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
});

t.test('tcp transport – two responses in one segment: the stale one is dropped, the current one decodes', async (t) => {
  // The server holds back the answer to the first request until the second arrives, then
  // writes both in one segment: the late one must be dropped by transaction id, the
  // current one taken.
  let held: Buffer | undefined;
  const { server, port } = await startServer((socket, request, answer) => {
    if (request.address === 1) held = answer;
    else socket.write(Buffer.concat([held ?? Buffer.alloc(0), answer]));
  });
  const transport = await connectTo(t, server, port);
  await t.rejects(transport.readRegisters(1, 3, 1, 2), { code: 'TANDEM_MODBUS_TIMEOUT' });
  t.same(await transport.readRegisters(1, 3, 2, 2), [2, 3]);
});

t.test('tcp transport – a duplicated response in one segment does not shift later answers', async (t) => {
  const { server, port } = await startServer((socket, _request, answer) => {
    socket.write(Buffer.concat([answer, answer]));
  });
  const transport = await connectTo(t, server, port);
  for (const address of [10, 20, 30]) t.same(await transport.readRegisters(1, 3, address, 1), [address]);
});
