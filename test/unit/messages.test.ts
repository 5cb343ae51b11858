import t from 'tap';
import {
  encodeBatch,
  encodePayload,
  MAX_BATCH_ROWS,
  parseMessage,
  SCHEMA_VERSION,
  validateMessage,
  type Issue,
  type Reading,
} from '../../protocol/index.js';

const T0 = Date.UTC(2026, 11, 3, 10, 0, 0);

function readings(n: number, meters = ['m1', 'm2']): Reading[] {
  return Array.from({ length: n }, (_, i) => ({
    seq: 100n + BigInt(i),
    meter: meters[i % meters.length]!,
    t: T0 + Math.floor(i / meters.length) * 15_000,
    values: { u1: 230.1 + (i % 3) * 0.1, i1: 12.5, p: 4000 + i, pf: 0.93, f: 50.01, ei: 12345.678 + i / 1000 },
  }));
}

function validBatch(): Record<string, unknown> {
  return encodeBatch('gw-1', readings(4)) as unknown as Record<string, unknown>;
}

function paths(issues: Issue[]): string[] {
  return issues.map((i) => i.path);
}

t.test('reading batch – a valid batch passes', async (t) => {
  const result = validateMessage('data', validBatch());
  t.ok(result.ok, JSON.stringify(result));
});

t.test('reading batch – a missing field is named', async (t) => {
  const batch = validBatch();
  delete batch.meters;
  const result = validateMessage('data', batch);
  t.notOk(result.ok);
  if (!result.ok) t.ok(paths(result.errors).includes('meters'), JSON.stringify(result.errors));
});

t.test('reading batch – a wrong type is named with its path', async (t) => {
  const batch = validBatch();
  (batch.t as unknown[])[2] = 'soon';
  const result = validateMessage('data', batch);
  t.notOk(result.ok);
  if (!result.ok) t.ok(paths(result.errors).includes('t[2]'), JSON.stringify(result.errors));
});

t.test('every message – an unknown schema version is refused by name', async (t) => {
  for (const kind of ['data', 'state', 'ack', 'health', 'config'] as const) {
    const result = validateMessage(kind, { v: 2 });
    t.notOk(result.ok, kind);
    if (!result.ok) {
      t.equal(result.errors[0]!.path, 'v');
      t.match(result.errors[0]!.message, /unknown schema version 2/);
    }
  }
  const missing = validateMessage('state', { online: true });
  t.notOk(missing.ok);
  if (!missing.ok) t.match(missing.errors[0]!, { path: 'v', message: /required/ });
});

t.test('reading batch – sequence numbers must be non-negative integers within 2^63-1', async (t) => {
  for (const seq of ['-1', '1.5', '01', 'abc', '', '9223372036854775808', 42]) {
    const batch = { ...validBatch(), seq };
    const result = validateMessage('data', batch);
    t.notOk(result.ok, `seq ${JSON.stringify(seq)} refused`);
    if (!result.ok) t.ok(paths(result.errors).includes('seq'), JSON.stringify(result.errors));
  }
  const top = { ...validBatch(), seq: '9223372036854775806' };
  const overflow = validateMessage('data', top);
  t.notOk(overflow.ok, 'rows past 2^63-1 refused');
  if (!overflow.ok) t.match(overflow.errors[0]!.message, /exceeds 2\^63-1/);
  const ok = validateMessage('data', { ...validBatch(), seq: '9223372036854775000' });
  t.ok(ok.ok, 'a seq past 2^53 is fine');
});

t.test('reading batch – a timestamp that is not a valid instant is refused per row', async (t) => {
  const batch = validBatch();
  (batch.t as number[])[0] = 1234; // 1970
  let result = validateMessage('data', batch);
  t.notOk(result.ok);
  if (!result.ok) t.ok(paths(result.errors).includes('t[0]'), JSON.stringify(result.errors));

  const far = validBatch();
  (far.t as number[])[3] = 200 * 365 * 86_400_000; // row 3 lands past 2100
  result = validateMessage('data', far);
  t.notOk(result.ok);
  if (!result.ok) t.match(result.errors, [{ path: 't[3]', message: /not a valid instant/ }]);

  const fractional = validBatch();
  (fractional.t as number[])[1] = 0.5;
  t.notOk(validateMessage('data', fractional).ok, 'fractional ms refused');
});

t.test('reading batch – an oversized batch is refused', async (t) => {
  const big = encodeBatch('gw-1', readings(MAX_BATCH_ROWS + 1, ['m1']));
  const result = validateMessage('data', big);
  t.notOk(result.ok);
  if (!result.ok) t.ok(result.errors.some((e) => ['ds', 't', 'm'].includes(e.path)), JSON.stringify(result.errors.slice(0, 3)));
  const payload = Buffer.alloc(300 * 1024, 0x20);
  const parsed = parseMessage('data', payload);
  t.notOk(parsed.ok);
  if (!parsed.ok) t.match(parsed.errors[0]!.message, /more than the \d+ allowed/);
});

t.test('reading batch – every problem is reported, not just the first', async (t) => {
  const batch = validBatch();
  delete batch.gw;
  (batch.ds as unknown[])[1] = -3;
  (batch.m as unknown[])[2] = 'x';
  const result = validateMessage('data', batch);
  t.notOk(result.ok);
  if (!result.ok) {
    const p = paths(result.errors);
    for (const expected of ['gw', 'ds[1]', 'm[2]']) t.ok(p.includes(expected), `${expected} in ${p.join(', ')}`);
  }
});

t.test('reading batch – cross-field rules: lengths, meter index, increasing seqs, bad rows', async (t) => {
  const short = validBatch();
  (short.t as number[]).pop();
  let result = validateMessage('data', short);
  t.notOk(result.ok);
  if (!result.ok) t.match(result.errors, [{ path: 't', message: /has 3 entries, ds has 4/ }]);

  const index = validBatch();
  (index.m as number[])[1] = 7;
  result = validateMessage('data', index);
  t.notOk(result.ok);
  if (!result.ok) t.match(result.errors, [{ path: 'm[1]' }]);

  const repeat = validBatch();
  (repeat.ds as number[])[2] = 0;
  result = validateMessage('data', repeat);
  t.notOk(result.ok);
  if (!result.ok) t.match(result.errors, [{ path: 'ds[2]', message: /increase/ }]);

  const bad = { ...validBatch(), bad: [[9, 'p', 'error']] };
  result = validateMessage('data', bad);
  t.notOk(result.ok);
  if (!result.ok) t.match(result.errors, [{ path: 'bad[0][0]' }]);
});

t.test('unknown fields are refused with their path', async (t) => {
  const result = validateMessage('state', { v: SCHEMA_VERSION, online: true, colour: 'red' });
  t.notOk(result.ok);
  if (!result.ok) t.ok(paths(result.errors).includes('colour'), JSON.stringify(result.errors));
});

t.test('ack and gap – ranges must be ordered and in range', async (t) => {
  const now = Date.now();
  t.ok(validateMessage('ack', { v: 1, ranges: [['1', '10'], ['12', '12']], t: now }).ok);
  const backwards = validateMessage('ack', { v: 1, ranges: [['10', '1']], t: now });
  t.notOk(backwards.ok);
  if (!backwards.ok) t.match(backwards.errors, [{ path: 'ranges[0]', message: /starts after it ends/ }]);
  const gap = validateMessage('gap', { v: 1, gw: 'gw-1', from: '5', to: '4', count: 1, reason: 'outbox-bytes', t: now });
  t.notOk(gap.ok);
});

t.test('config – bus variants, duplicate ids and unknown profiles are named', async (t) => {
  const config = {
    v: 1,
    version: 3,
    poll: {
      pollIntervalS: 15,
      buses: [
        { kind: 'tcp', id: 'b1', host: '127.0.0.1', port: 502, meters: [{ id: 'm1', unit: 1, profile: 'dtsu666' }, { id: 'm2', unit: 1, profile: 'nope' }] },
        { kind: 'rtu', id: 'b1', path: '/dev/ttyUSB0', meters: [] },
        { kind: 'can', id: 'b3', meters: [] },
      ],
    },
  };
  const result = validateMessage('config', config);
  t.notOk(result.ok);
  if (!result.ok) {
    const p = paths(result.errors);
    t.ok(p.includes('poll.buses[0].meters[1].unit'), 'duplicate unit');
    t.ok(p.includes('poll.buses[0].meters[1].profile'), 'unknown profile');
    t.ok(p.includes('poll.buses[1].baud'), 'missing baud on an rtu bus');
    t.ok(p.includes('poll.buses[2].kind'), 'unknown bus kind');
  }
});

t.test('payload – garbage, truncated zlib and zip bombs are refused with a reason', async (t) => {
  for (const bytes of [Buffer.from('not json'), Buffer.from([0x78, 0x9c, 1, 2, 3]), Buffer.alloc(0)]) {
    const result = parseMessage('data', bytes);
    t.notOk(result.ok);
    if (!result.ok) t.ok(result.errors[0]!.message.length > 10, result.errors[0]!.message);
  }
  const { deflateSync } = await import('node:zlib');
  const bomb = deflateSync(Buffer.alloc(20 * 1024 * 1024, 0x20));
  const result = parseMessage('data', bomb);
  t.notOk(result.ok);
  if (!result.ok) t.match(result.errors[0]!.message, /inflates past/);
});

t.test('payload – a batch survives encode → bytes → parse unchanged', async (t) => {
  const batch = encodeBatch('gw-1', readings(200));
  const bytes = encodePayload(batch);
  t.equal(bytes[0], 0x78, 'large batches are compressed');
  const parsed = parseMessage('data', bytes);
  t.ok(parsed.ok);
  if (parsed.ok) t.same(parsed.value, batch);
});
