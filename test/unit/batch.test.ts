import t from 'tap';
import { decodeBatch, encodeBatch, encodePayload, parseTopic, topicFor, toRanges, type Reading } from '../../protocol/index.js';

const T0 = Date.UTC(2026, 11, 3, 10, 0, 0);

t.test('batch – readings round-trip exactly at each quantity resolution', async (t) => {
  const readings: Reading[] = [
    { seq: 9_007_199_254_740_993n, meter: 'ent-a:m1', t: T0, values: { u1: 230.1, u2: 229.99, u3: 231, i1: 12.345, p: -4000.5, pf: -0.9312, f: 50.012, ei: 987654.321 } },
    { seq: 9_007_199_254_740_994n, meter: 'ent-a:m2', t: T0 + 20, values: { p: 15.5 }, quality: { u1: 'unsupported', i1: 'error' } },
    { seq: 9_007_199_254_741_000n, meter: 'ent-a:m1', t: T0 + 15_000, values: { u1: 230.2, p: -3999.9, ei: 987654.5 }, quality: { f: 'invalid' } },
    { seq: 9_007_199_254_741_001n, meter: 'ent-a:m1', t: T0 + 14_000, values: {} },
  ];
  const decoded = decodeBatch(encodeBatch('gw-1', readings));
  t.same(decoded, readings);
});

t.test('batch – values with a bad quality travel as null, not as numbers', async (t) => {
  const batch = encodeBatch('gw-1', [{ seq: 1n, meter: 'm', t: T0, values: { p: Number.NaN }, quality: { p: 'invalid' } }]);
  t.same(batch.q.p, [null]);
  t.same(batch.bad, [[0, 'p', 'invalid']]);
});

t.test('batch – out-of-order readings are refused by the encoder', async (t) => {
  t.throws(() => encodeBatch('gw', [{ seq: 2n, meter: 'm', t: T0, values: {} }, { seq: 2n, meter: 'm', t: T0, values: {} }]), /out of sequence order/);
  t.throws(() => encodeBatch('gw', []), /at least one/);
});

t.test('batch – a steady meter costs few bytes per reading on the wire', async (t) => {
  const readings: Reading[] = [];
  for (let i = 0; i < 40; i++) {
    readings.push({
      seq: BigInt(i),
      meter: 'm1',
      t: T0 + i * 15_000,
      values: { u1: 230 + (i % 5) * 0.1, u2: 231, u3: 229.5, i1: 10 + (i % 3) * 0.01, i2: 10, i3: 10, p: 6900 + (i % 4), pf: 0.95, f: 50, ei: 1000 + i * 0.03 },
    });
  }
  const bytes = encodePayload(encodeBatch('gw-1', readings)).length;
  t.ok(bytes / readings.length < 40, `${(bytes / readings.length).toFixed(1)} bytes per reading`);
});

t.test('topics – every kind round-trips and foreign topics are not ours', async (t) => {
  for (const kind of ['data', 'backlog', 'gap', 'state', 'health', 'config', 'configAck', 'command', 'commandReply', 'ack'] as const) {
    t.same(parseTopic(topicFor('gw-7', kind)), { gatewayId: 'gw-7', kind });
  }
  for (const topic of ['tandem/v1/gw-7/unknown', 'tandem/v2/gw-7/data', 'other/gw/data', 'tandem/v1//data', 'tandem/v1/GW/data', 'tandem/v1/_collector/data']) {
    t.equal(parseTopic(topic), null, topic);
  }
});

t.test('sequence ranges – merges into the fewest inclusive ranges', async (t) => {
  t.same(toRanges([5n, 1n, 2n, 3n, 7n, 6n, 10n, 2n]), [
    { from: 1n, to: 3n },
    { from: 5n, to: 7n },
    { from: 10n, to: 10n },
  ]);
  t.same(toRanges([]), []);
});
