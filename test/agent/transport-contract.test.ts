// One contract for every Modbus transport (STYLE.md: pluggable back-ends, one suite):
// Modbus TCP, raw RTU over TCP, and RTU on a serial line (a socat pty pair).
import t from 'tap';
import { createTransport, exceptionCodeOf, type Transport, type TransportTarget } from '../../agent/modbus/index.js';
import { TandemError } from '../../lib/errors.js';
import { startSerialTestServer, startTcpTestServer, type TestServer, type TestSlave } from '../helpers/modbus-test-server.js';
import { ptySkipReason, startPtyPair } from '../helpers/pty-pair.js';

const TIMEOUT_MS = 300;
const EVENT_WAIT_MS = 5000;
/** how late unit 4 answers: inside the RTU guard time, any delay on TCP (transaction ids) */
const LATE_MS = 30;

interface Bench {
  server: TestServer;
  target: TransportTarget;
  /** the peer disappears: TCP clients dropped, or the serial line unplugged */
  breakLink(): Promise<void>;
  /** the peer is back at the same address */
  restore(): Promise<void>;
  close(): Promise<void>;
}

const slaves = (): Record<number, TestSlave> => ({
  1: {},
  2: { illegal: [0x10] },
  3: { silent: true },
  4: { delayMs: TIMEOUT_MS + LATE_MS },
  5: { badCrc: true },
});

async function tcpBench(framing: 'tcp' | 'rtu'): Promise<Bench> {
  let server = await startTcpTestServer({ framing, slaves: slaves() });
  const port = server.port;
  const bench: Bench = {
    server,
    target: { kind: framing === 'tcp' ? 'tcp' : 'rtu-over-tcp', host: '127.0.0.1', port },
    breakLink: () => server.close(),
    async restore() {
      server = await startTcpTestServer({ framing, slaves: slaves() }, port);
      bench.server = server;
    },
    close: () => server.close(),
  };
  return bench;
}

async function serialBench(): Promise<Bench> {
  let pair = await startPtyPair();
  let server = await startSerialTestServer(pair.b, { framing: 'rtu', slaves: slaves() });
  const bench: Bench = {
    server,
    target: { kind: 'rtu', path: pair.a, baud: 9600, parity: 'none' },
    async breakLink() {
      await server.close();
      await pair.close(true);
    },
    async restore() {
      pair = await startPtyPair(pair.dir);
      server = await startSerialTestServer(pair.b, { framing: 'rtu', slaves: slaves() });
      bench.server = server;
    },
    async close() {
      await server.close();
      await pair.close();
    },
  };
  return bench;
}

const KINDS = [
  { kind: 'tcp', start: () => tcpBench('tcp'), skip: undefined },
  { kind: 'rtu-over-tcp', start: () => tcpBench('rtu'), skip: undefined },
  { kind: 'rtu', start: serialBench, skip: ptySkipReason() },
] as const;

function code(error: unknown): string | undefined {
  return error instanceof TandemError ? error.code : undefined;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

function onceDisconnected(transport: Transport): Promise<Error> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no disconnect within ${EVENT_WAIT_MS} ms`)), EVENT_WAIT_MS);
    transport.on('disconnect', (error) => (clearTimeout(timer), resolve(error)));
  });
}

for (const { kind, start, skip } of KINDS) {
  t.test(`${kind} transport`, { skip }, async (t) => {
    const bench = await start();
    const transport = createTransport(bench.target, { timeoutMs: TIMEOUT_MS });
    t.teardown(async () => {
      await transport.close();
      await bench.close();
    });
    await transport.connect();

    t.test(`${kind} transport – reads FC 03 and FC 04 registers`, async (t) => {
      t.same(await transport.readRegisters(1, 3, 0x2006, 4), [0x2006, 0x2007, 0x2008, 0x2009]);
      t.same(await transport.readRegisters(1, 4, 0, 2), [0, 1]);
    });

    t.test(`${kind} transport – reads 125 registers in one request`, async (t) => {
      const registers = await transport.readRegisters(1, 3, 1000, 125);
      t.equal(registers.length, 125);
      t.equal(registers[124], 1124);
    });

    t.test(`${kind} transport – concurrent callers each get their own answer`, async (t) => {
      const answers = await Promise.all([10, 20, 30].map((a) => transport.readRegisters(1, 3, a, 1)));
      t.same(answers, [[10], [20], [30]]);
    });

    t.test(`${kind} transport – illegal data address is an exception with code 2`, async (t) => {
      const error = await failure(transport.readRegisters(2, 3, 0x0e, 4));
      t.equal(exceptionCodeOf(error), 2);
      t.same(await transport.readRegisters(2, 3, 0, 2), [0, 1], 'the same unit still answers other registers');
    });

    t.test(`${kind} transport – a silent unit times out and the bus stays usable`, async (t) => {
      const started = Date.now();
      const error = await failure(transport.readRegisters(3, 3, 0, 2));
      t.equal(code(error), 'TANDEM_MODBUS_TIMEOUT');
      t.ok(Date.now() - started >= TIMEOUT_MS, 'waited for the timeout');
      t.same(await transport.readRegisters(1, 3, 7, 1), [7]);
    });

    t.test(`${kind} transport – an answer after its timeout is not taken for the next request's`, async (t) => {
      t.equal(code(await failure(transport.readRegisters(4, 3, 100, 2))), 'TANDEM_MODBUS_TIMEOUT');
      // Unit 4's answer to [100, 101] arrives during this wait; it must be dropped.
      bench.server.slaves[4]!.delayMs = 0;
      t.same(await transport.readRegisters(4, 3, 200, 2), [200, 201]);
      t.same(await transport.readRegisters(4, 3, 300, 2), [300, 301]);
      bench.server.slaves[4]!.delayMs = TIMEOUT_MS + LATE_MS;
    });

    t.test(`${kind} transport – writes registers with FC 16`, async (t) => {
      await transport.writeRegisters(1, 40, [0x1234, 0x5678]);
      t.same(await transport.readRegisters(1, 3, 40, 2), [0x1234, 0x5678]);
      t.same([...bench.server.written.get(1)!.entries()], [[40, 0x1234], [41, 0x5678]]);
    });

    if (kind !== 'tcp') {
      t.test(`${kind} transport – a bad CRC is a bad frame, not a value`, async (t) => {
        t.equal(code(await failure(transport.readRegisters(5, 3, 0, 2))), 'TANDEM_MODBUS_BAD_FRAME');
        t.same(await transport.readRegisters(1, 3, 0, 1), [0]);
      });
    }

    t.test(`${kind} transport – close() releases the port or socket: it opens again at once`, async (t) => {
      await transport.close();
      t.notOk(transport.connected);
      await transport.connect();
      t.same(await transport.readRegisters(1, 3, 9, 1), [9]);
    });

    if (kind !== 'rtu') {
      t.test(`${kind} transport – a peer that sends nothing at all for deadPeerMs is dropped`, async (t) => {
        // A TCP peer that lost power never closes the socket; only silence shows it is gone.
        const DEAD_PEER_MS = 400;
        const watched = createTransport(bench.target, { timeoutMs: TIMEOUT_MS / 2, deadPeerMs: DEAD_PEER_MS });
        t.teardown(() => watched.close());
        await watched.connect();
        const disconnected = onceDisconnected(watched);
        const started = Date.now();
        while (watched.connected) await failure(watched.readRegisters(3, 3, 0, 1));
        t.match((await disconnected).message, /nothing received for \d+ s: peer presumed gone/);
        t.ok(Date.now() - started >= DEAD_PEER_MS, 'not before deadPeerMs');

        const kept = createTransport(bench.target, { timeoutMs: TIMEOUT_MS / 2, deadPeerMs: DEAD_PEER_MS });
        t.teardown(() => kept.close());
        await kept.connect();
        for (const until = Date.now() + 2 * DEAD_PEER_MS; Date.now() < until; ) {
          await failure(kept.readRegisters(3, 3, 0, 1));
          await kept.readRegisters(1, 3, 0, 1);
        }
        t.ok(kept.connected, 'a peer that answers for another unit is kept, however long one unit is silent');
      });
    }

    t.test(`${kind} transport – reports a lost peer and connects again when it is back`, async (t) => {
      const disconnected = onceDisconnected(transport);
      await bench.breakLink();
      // Usually the stream reports it at once; if not, the next request finds out (a timeout
      // on a serial port whose device node is gone, a reset on a socket).
      const asked = await failure(transport.readRegisters(1, 3, 0, 1));
      t.match(code(asked), /TANDEM_MODBUS_(DISCONNECTED|TIMEOUT)/);
      const error = await disconnected;
      t.equal(code(error), 'TANDEM_MODBUS_DISCONNECTED');
      t.notOk(transport.connected);
      t.equal(code(await failure(transport.readRegisters(1, 3, 0, 1))), 'TANDEM_MODBUS_DISCONNECTED');
      t.equal(code(await failure(transport.connect())), 'TANDEM_MODBUS_CONNECT_FAILED', 'the peer is still away');
      await bench.restore();
      await transport.connect();
      t.same(await transport.readRegisters(1, 3, 5, 1), [5]);
    });
  });
}

t.test('rtu transport – a serial port another program holds is named as such', { skip: ptySkipReason() }, async (t) => {
  const pair = await startPtyPair();
  const holder = createTransport({ kind: 'rtu', path: pair.a, baud: 9600 });
  t.teardown(async () => (await holder.close(), await pair.close()));
  await holder.connect();
  const error = await failure(createTransport({ kind: 'rtu', path: pair.a, baud: 9600 }).connect());
  t.equal(code(error), 'TANDEM_MODBUS_CONNECT_FAILED');
  t.match((error as Error).message, /Cannot lock port \(another program holds it/);
});

t.test('transports – say what could not be reached', async (t) => {
  const serial = createTransport({ kind: 'rtu', path: '/dev/tandem-no-such-port', baud: 9600 });
  const error = await failure(serial.connect());
  t.equal(code(error), 'TANDEM_MODBUS_CONNECT_FAILED');
  t.match((error as Error).message, /cannot open rtu \/dev\/tandem-no-such-port 9600 8N1: .*No such file/);
  const server = await startTcpTestServer({ framing: 'tcp', slaves: {} });
  const port = server.port;
  await server.close();
  const tcp = createTransport({ kind: 'tcp', host: '127.0.0.1', port });
  t.match((await failure(tcp.connect()) as Error).message, `cannot connect to tcp 127.0.0.1:${port}: connection refused`);
});
