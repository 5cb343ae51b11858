import t, { type Test } from 'tap';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { SerialPort } from 'serialport';
import { exchangeMs, startBus, withCrc, hasValidCrc } from '../../firmware-sim/index.js';
import { hasCommand, ptyPair, tempDir } from './helpers.js';

const SOCAT = hasCommand('socat') ? false : 'socat is not installed (apt-get install socat)';
const BAUD = 9600;
/** 40 registers of a DTSU666 from 0x2006: voltages up to PF. */
const READ_40 = withCrc(Buffer.from([1, 0x03, 0x20, 0x06, 0x00, 40]));
const REPLY_40_BYTES = 3 + 80 + 2;
const REPLY_TIMEOUT_MS = 3000;

/** Sends `frame` and resolves with the reply once `length` bytes have come, and the time it took. */
function exchange(write: (b: Buffer) => void, onData: (fn: (b: Buffer) => void) => () => void, frame: Buffer, length: number): Promise<{ reply: Buffer; ms: number }> {
  return new Promise((resolve, reject) => {
    let reply = Buffer.alloc(0);
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${length}-byte reply within ${REPLY_TIMEOUT_MS} ms (got ${reply.length})`));
    }, REPLY_TIMEOUT_MS);
    const off = onData((chunk) => {
      reply = Buffer.concat([reply, chunk]);
      if (reply.length < length) return;
      off();
      clearTimeout(timer);
      resolve({ reply, ms: performance.now() - started });
    });
    const started = performance.now();
    write(frame);
  });
}

async function rtuOverTcp(t: Test, lineSpeed = true) {
  const bus = await startBus({ transport: { kind: 'rtu-over-tcp', host: '127.0.0.1', port: 0, baud: BAUD }, meters: [{ unit: 1, profile: 'dtsu666', kw: 30 }], lineSpeed });
  t.teardown(() => bus.close());
  const socket = net.connect(bus.port!, '127.0.0.1');
  t.teardown(() => socket.destroy());
  await new Promise((r) => socket.once('connect', r));
  const onData = (fn: (b: Buffer) => void) => {
    socket.on('data', fn);
    return () => socket.off('data', fn);
  };
  return { write: (b: Buffer) => socket.write(b), onData };
}

t.test('line speed – a 40-register read at 9600 baud over RTU-over-TCP takes at least the line time', async (t) => {
  const { write, onData } = await rtuOverTcp(t);
  const lineMs = exchangeMs({ baud: BAUD }, READ_40.length, REPLY_40_BYTES);
  t.ok(lineMs > 100, `line time ${lineMs.toFixed(1)} ms: (8 + 85) chars × 10 bits / 9600 + 3.5 chars`);
  for (let i = 0; i < 3; i++) {
    const { reply, ms } = await exchange(write, onData, READ_40, REPLY_40_BYTES);
    t.ok(hasValidCrc(reply), 'reply CRC checks');
    t.ok(ms >= lineMs, `exchange ${i + 1} took ${ms.toFixed(1)} ms ≥ ${lineMs.toFixed(1)} ms`);
  }
});

t.test('line speed – requests sent together queue on the one line', async (t) => {
  const { write, onData } = await rtuOverTcp(t);
  const lineMs = exchangeMs({ baud: BAUD }, READ_40.length, REPLY_40_BYTES);
  const { ms } = await exchange(write, onData, Buffer.concat([READ_40, READ_40, READ_40]), 3 * REPLY_40_BYTES);
  t.ok(ms >= 3 * lineMs, `three reads took ${ms.toFixed(1)} ms ≥ 3 × ${lineMs.toFixed(1)} ms`);
});

t.test('line speed – 8E1 at 9600 on a serial pty takes at least the 11-bit line time', { skip: SOCAT }, async (t) => {
  const pty = await ptyPair(tempDir(t));
  t.teardown(() => pty.close());
  const bus = await startBus({ transport: { kind: 'rtu', path: pty.a, baud: BAUD, parity: 'even' }, meters: [{ unit: 1, profile: 'dtsu666', kw: 30 }] });
  t.teardown(() => bus.close());
  const master = new SerialPort({ path: pty.b, baudRate: BAUD, parity: 'even' });
  t.teardown(() => new Promise<void>((r) => (master.isOpen ? master.close(() => r()) : r())));
  await new Promise((r) => master.once('open', r));
  const onData = (fn: (b: Buffer) => void) => {
    master.on('data', fn);
    return () => master.off('data', fn);
  };
  const lineMs = exchangeMs({ baud: BAUD, parity: 'even' }, READ_40.length, REPLY_40_BYTES);
  const { reply, ms } = await exchange((b) => master.write(b), onData, READ_40, REPLY_40_BYTES);
  t.ok(hasValidCrc(reply));
  t.ok(ms >= lineMs, `took ${ms.toFixed(1)} ms ≥ ${lineMs.toFixed(1)} ms`);
});

t.test('RTU framing – a request split across writes is one frame; a bad CRC or noise gets no reply', async (t) => {
  const { write, onData } = await rtuOverTcp(t, false);
  const read2 = withCrc(Buffer.from([1, 0x03, 0x20, 0x12, 0x00, 0x02]));
  const replies: Buffer[] = [];
  onData((b) => replies.push(b));
  const corrupt = Buffer.from(read2);
  corrupt[7] ^= 0xff;
  write(corrupt);
  write(Buffer.from([0x55, 0x13]));
  // The next valid frame is answered, and nothing was sent for the two broken ones before it.
  const { reply } = await exchange(
    (b) => {
      write(b.subarray(0, 3));
      setImmediate(() => write(b.subarray(3)));
    },
    onData,
    read2,
    9,
  );
  t.ok(hasValidCrc(reply));
  t.equal(reply.readFloatBE(3), 300_000, '30 kW in the DTSU666 unit of 0.1 W');
  t.equal(Buffer.concat(replies).length, 9, 'only the valid request was answered');
});
