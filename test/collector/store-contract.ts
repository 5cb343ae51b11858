// The behaviour every Store implementation must show (the aedes-persistence pattern: one
// abstract suite, run by each back-end's *.test.ts). SQLite runs it in sqlite-store.test.ts;
// a PostgreSQL store passes the same suite before it replaces it.
import type { Test } from 'tap';
import type { Reading } from '../../protocol/index.js';
import type { AlertEvent } from '../../collector/models/contract.js';
import { READING_FLAGS, type IncomingReading, type Store } from '../../collector/store/store.js';
import { enterprise } from './fixtures.js';

export interface StoreHarness {
  /** A fresh, empty store. */
  open(): Promise<Store>;
  /** The same data, opened again after close() (a restart). */
  reopen(): Promise<Store>;
  cleanup(): Promise<void>;
}

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const MINUTE = 60_000;

function at(seq: number, meter: string, t: number, p: number, ei: number): IncomingReading {
  return { gatewayId: 'gw-a', reading: { seq: BigInt(seq), meter, t, values: { p, ei } }, flags: 0 };
}

export function storeContract(t: Test, makeHarness: () => Promise<StoreHarness>): void {
  const withStore = (name: string, body: (t: Test, store: Store, harness: StoreHarness) => Promise<void>) =>
    t.test(name, async (t) => {
      const harness = await makeHarness();
      const store = await harness.open();
      t.teardown(async () => {
        await store.close();
        await harness.cleanup();
      });
      await body(t, store, harness);
    });

  withStore('store contract – an imported enterprise reads back as imported, and re-import replaces it', async (t, store) => {
    const a = enterprise('a', 'gw-a');
    const before = await store.registryRevision();
    await store.importEnterprise(a, NOW);
    t.not(await store.registryRevision(), before, 'the revision moves with the registry');
    t.same(await store.enterprise('a'), a);
    t.same(await store.enterpriseInfos(), [{ id: 'a', name: a.name, group: null, gatewayId: 'gw-a', pollIntervalS: 15 }]);
    t.same((await store.facilityInfos()).map((f) => [f.id, f.kind, f.serves, f.meterIds]), [
      ['a-kiln', 'production', [], ['m1']],
      ['a-dust', 'treatment', ['a-kiln'], ['m2']],
    ]);
    await store.importEnterprise({ ...a, meters: [a.meters[0]!] }, NOW);
    t.same((await store.meters('gw-a')).map((m) => m.id), ['m1'], 'a meter absent from the new file is removed');
    t.same([...(await store.meterDirectory()).get('gw-a')!.keys()], ['m1']);
    await t.rejects(Promise.resolve().then(() => store.importEnterprise(enterprise('b', 'gw-a'), NOW)), { code: 'TANDEM_COLLECTOR_CONFLICT' }, 'a gateway has one enterprise');
    await t.rejects(Promise.resolve().then(() => store.importEnterprise({ ...enterprise('b', 'gw-b'), facilities: a.facilities, meters: [] }, NOW)), {
      code: 'TANDEM_COLLECTOR_CONFLICT',
      message: /facilities\[0\]\.id/,
    });
    t.ok(await store.deleteEnterprise('a'));
    t.same(await store.facilityInfos(), []);
  });

  withStore('store contract – readings are stored once per (gateway, seq); minutes follow them in any order', async (t, store) => {
    await store.importEnterprise(enterprise('a', 'gw-a'), NOW);
    const m0 = NOW - (NOW % MINUTE);
    // Two meters on two facilities; m1 reads 1000 W then 3000 W in minute 0, 2000 W in minute 1.
    const rows = [at(1, 'm1', m0 + 10_000, 1000, 10), at(2, 'm1', m0 + 40_000, 3000, 10.5), at(3, 'm1', m0 + MINUTE + 10_000, 2000, 11.5), at(4, 'm2', m0 + 5_000, 400, 7)];
    const late = await store.write([rows[2]!, rows[3]!], []);
    t.equal(late.newRows, 2);
    t.same(late.inserted.map((r) => [r.seq, r.facility]), [[3n, 'a-kiln'], [4n, 'a-dust']], 'inserted readings carry their facility');
    const early = await store.write([rows[0]!, rows[1]!, rows[2]!], []);
    t.equal(early.newRows, 2, 'the resend of seq 3 is not stored again');
    t.same(early.touched, [{ facility: 'a-kiln', fromMinute: m0, toMinute: m0 + MINUTE }], 'an early minute touches itself and the next');
    t.equal(await store.readingCount(), 4);
    const kiln = await store.minutes('a-kiln', m0, m0 + 2 * MINUTE);
    t.same(kiln, [
      { facility: 'a-kiln', minute: m0, powerW: 2000, energyKWh: 0.5, metersReporting: 1 },
      { facility: 'a-kiln', minute: m0 + MINUTE, powerW: 2000, energyKWh: 1, metersReporting: 1 },
    ]);
    const stored = await store.readings('gw-a', 'm1', m0, m0 + 2 * MINUTE, 10);
    t.same(stored.map((r) => [r.seq, r.t, r.values.p]), [[1n, m0 + 10_000, 1000], [2n, m0 + 40_000, 3000], [3n, m0 + MINUTE + 10_000, 2000]]);
  });

  withStore('store contract – facility minutes sum meters, flagged readings stay out, retention keeps minutes', async (t, store) => {
    const a = enterprise('a', 'gw-a');
    a.meters.push({ id: 'm3', facility: 'a-kiln', bus: 'bus1', unit: 3, profile: 'dtsu666' });
    await store.importEnterprise(a, NOW);
    const m0 = NOW - (NOW % MINUTE);
    const future: IncomingReading = { ...at(3, 'm1', m0 + 20_000, 99_999, 1), flags: READING_FLAGS.future };
    const result = await store.write([at(1, 'm1', m0, 1000, 1), at(2, 'm3', m0, 500, 2), future], []);
    t.equal(result.newRows, 3);
    t.equal(result.inserted.length, 2, 'a flagged reading is stored but not handed to the models');
    t.same(await store.minutes('a-kiln', m0, m0 + MINUTE), [{ facility: 'a-kiln', minute: m0, powerW: 1500, energyKWh: null, metersReporting: 2 }]);
    t.same((await store.readings('gw-a', 'm1', m0, m0 + MINUTE, 10)).map((r) => r.flags), [0, READING_FLAGS.future]);
    t.equal(await store.pruneReadings(m0 + MINUTE), 3);
    t.equal(await store.readingCount(), 0);
    t.equal((await store.minutes('a-kiln', m0, m0 + MINUTE)).length, 1, 'minute rollups outlive raw readings');
  });

  withStore('store contract – facility readings and the first minute, for the models', async (t, store) => {
    await store.importEnterprise(enterprise('a', 'gw-a'), NOW);
    t.equal(await store.firstMinute('a-kiln'), null);
    const m0 = NOW - (NOW % MINUTE);
    const future: IncomingReading = { ...at(9, 'm1', m0 + 50_000, 1, 1), flags: READING_FLAGS.future };
    await store.write([at(2, 'm2', m0 + 3 * MINUTE, 20, 2), at(1, 'm1', m0 + 2 * MINUTE, 10, 1), future], []);
    const both = await store.facilityReadings(['a-kiln', 'a-dust'], m0, m0 + 10 * MINUTE);
    t.same(both.map((r) => [r.seq, r.meter, r.facility, r.values.p]), [[1n, 'm1', 'a-kiln', 10], [2n, 'm2', 'a-dust', 20]], 'time-ordered, flagged ones left out');
    t.same((await store.facilityReadings(['a-dust'], m0, m0 + 10 * MINUTE)).map((r) => r.seq), [2n]);
    t.equal(await store.firstMinute('a-kiln'), m0 + 2 * MINUTE);
  });

  withStore('store contract – webhook subscriptions and a durable delivery queue', async (t, store) => {
    await store.upsertWebhookSubscription({ id: 'hotline', url: 'http://127.0.0.1:9/hook', secret: 's', events: ['alert.created'] }, NOW);
    t.same(await store.webhookSubscriptions(), [{ id: 'hotline', url: 'http://127.0.0.1:9/hook', secret: 's', events: ['alert.created'] }]);
    const delivery = { id: 'e1', subscription: 'hotline', type: 'alert.created' as const, url: 'http://127.0.0.1:9/hook', body: '{}', createdAt: NOW, attempts: 0, nextAt: NOW, lastError: null, deliveredAt: null, failedAt: null };
    await store.addDelivery(delivery);
    await store.addDelivery({ ...delivery, id: 'e2', createdAt: NOW + 1, nextAt: NOW + 1000 });
    t.same((await store.dueDeliveries(NOW, 10)).map((d) => d.id), ['e1'], 'only what is due');
    await store.updateDelivery({ ...delivery, attempts: 1, nextAt: NOW + 5000, lastError: 'refused' });
    t.same((await store.dueDeliveries(NOW + 2000, 10)).map((d) => d.id), ['e2']);
    await store.updateDelivery({ ...delivery, attempts: 2, deliveredAt: NOW + 6000 });
    t.same((await store.dueDeliveries(NOW + 10_000, 10)).map((d) => [d.id, d.attempts]), [['e2', 0]], 'a delivered one is never due again');
    t.ok(await store.deleteWebhookSubscription('hotline'));
    t.same(await store.webhookSubscriptions(), []);
  });

  withStore('store contract – quarantine keeps reason and a truncated payload, newest first', async (t, store) => {
    const big = Buffer.alloc(100_000, 0x41);
    await store.write([], [{ at: NOW, topic: 't/1', gatewayId: 'gw-a', reason: 'first', payload: Buffer.from('x') }]);
    await store.write([], [{ at: NOW + 1, topic: 't/2', gatewayId: null, reason: 'second', payload: big }]);
    t.equal(await store.quarantineCount(), 2);
    const [newest, oldest] = await store.quarantine(10);
    t.match(newest, { topic: 't/2', gatewayId: null, reason: 'second', payloadBytes: 100_000 });
    t.ok(Buffer.from(newest!.payloadBase64, 'base64').length < big.length, 'payload truncated');
    t.same((await store.quarantine(10, newest!.id)).map((q) => q.reason), ['first']);
    t.equal(oldest!.payloadBase64, Buffer.from('x').toString('base64'));
  });

  withStore('store contract – gateways: credentials, one-time enrolment tokens, state, health, gaps, config versions and acks', async (t, store) => {
    await store.createGateway('gw-x', null, NOW);
    await t.rejects(Promise.resolve().then(() => store.createGateway('gw-x', null, NOW)), { code: 'TANDEM_COLLECTOR_CONFLICT' });
    t.equal(await store.gatewayPasswordHash('gw-x'), null);
    await store.setGatewayPassword('gw-x', 'hash');
    t.equal(await store.gatewayPasswordHash('gw-x'), 'hash');
    t.match(await store.gateway('gw-x'), { id: 'gw-x', enterpriseId: null, hasPassword: true });
    await store.setEnrolToken('gw-x', 'token-hash', NOW + 1000);
    t.equal(await store.takeEnrolToken('token-hash', NOW), 'gw-x');
    t.equal(await store.takeEnrolToken('token-hash', NOW), null, 'used once');
    await store.setEnrolToken('gw-x', 'token-2', NOW + 1000);
    t.equal(await store.takeEnrolToken('token-2', NOW + 2000), null, 'expired');

    await store.recordState('gw-x', { v: 1, online: true }, NOW);
    const gap = { v: 1 as const, gw: 'gw-x', from: '5', to: '9', count: 5, reason: 'outbox-age' as const, t: NOW };
    t.equal(await store.recordGap('gw-x', gap, NOW), true, 'a new gap is recorded');
    t.equal(await store.recordGap('gw-x', gap, NOW + 1), false, 'a resent gap is recorded once');
    const config = { v: 1 as const, version: 1, poll: { pollIntervalS: 15, buses: [] } };
    await store.addConfigVersion('gw-x', config, 'h1', NOW);
    await store.recordConfigAck('gw-x', { v: 1, version: 1, status: 'rejected', running: null, errors: ['bad'], t: NOW }, NOW + 5);
    t.match(await store.gatewayStatus('gw-x'), { online: true, stateAt: NOW, configVersion: 1, ack: { status: 'rejected', errors: ['bad'], receivedAt: NOW + 5 }, lastGap: { count: 5 } });
    t.same(await store.latestConfig('gw-x'), { gatewayId: 'gw-x', version: 1, config, hash: 'h1', createdAt: NOW });
    t.equal((await store.gatewayStatuses()).length, 1);
  });

  withStore('store contract – tokens, orders and notices round-trip', async (t, store) => {
    await store.addApiToken('th', 'admin', 'ops', NOW);
    t.equal(await store.apiTokenRole('th'), 'admin');
    t.equal(await store.apiTokenRole('other'), null);
    const order = { id: 'o1', kind: 'limit' as const, enterpriseIds: ['a', 'b'], from: NOW, to: NOW + 1, limitPct: 30 };
    await store.upsertOrder(order);
    t.same(await store.orders(), [order]);
    const notice = { id: 'n1', facility: 'a-kiln', from: NOW, to: NOW + 1, reason: 'maintenance' };
    await store.upsertNotice(notice);
    t.same(await store.notices(), [notice]);
  });

  withStore('store contract – model parameters per enterprise and facility: set, replaced, read as the engine config, deleted', async (t, store) => {
    t.same(await store.modelConfig(), { enterprises: {}, facilities: {} }, 'none: every model on its defaults');
    const revision = await store.registryRevision();
    await store.setModelParams('enterprise', 'a', 'treatment-off', { dwellMin: 3 }, NOW);
    t.not(await store.registryRevision(), revision, 'a change is seen like a registry change (the live models reload)');
    await store.setModelParams('facility', 'a-dust', 'treatment-weak', { dwellMin: 20, ratioPct: 40 }, NOW);
    await store.setModelParams('enterprise', 'a', 'treatment-off', { dwellMin: 5 }, NOW + 1);
    t.same(await store.modelParams('enterprise', 'a', 'treatment-off'), { scope: 'enterprise', id: 'a', model: 'treatment-off', params: { dwellMin: 5 }, updatedAt: NOW + 1 }, 'replaced');
    t.equal(await store.modelParams('facility', 'a', 'treatment-off'), null, 'scopes are apart');
    t.same(await store.modelConfig(), {
      enterprises: { a: { 'treatment-off': { dwellMin: 5 } } },
      facilities: { 'a-dust': { 'treatment-weak': { dwellMin: 20, ratioPct: 40 } } },
    });
    t.equal(await store.deleteModelParams('enterprise', 'a', 'treatment-off'), true);
    t.equal(await store.deleteModelParams('enterprise', 'a', 'treatment-off'), false, 'gone');
    t.same((await store.modelConfig()).enterprises, {});
  });

  withStore('store contract – an alert extends by key and keeps its workflow', async (t, store) => {
    const event: AlertEvent = {
      model: 'treatment-off', key: 'treatment-off:a:a-dust:1', enterpriseId: 'a', facilities: ['a-kiln', 'a-dust'], severity: 'critical',
      from: NOW, to: NOW + 10 * MINUTE, ended: false, evidence: { minutes: 10 }, declared: false, message: 'dust collector off',
    };
    const first = await store.upsertAlert(event, { late: false, deadlineAt: NOW + 86_400_000 }, NOW);
    t.match(first, { created: true, changed: true, record: { state: 'open', openedAt: NOW, deadlineAt: NOW + 86_400_000, evidence: { minutes: 10 } } });
    await store.updateAlert(first.record.id, { state: 'acknowledged', acknowledgedBy: 'li', acknowledgedAt: NOW + 1 }, NOW + 1);
    const same = await store.upsertAlert(event, { late: false, deadlineAt: null }, NOW + 2);
    t.equal(same.changed, false, 'the same event changes nothing');
    const extended = await store.upsertAlert({ ...event, to: NOW + 20 * MINUTE, ended: true, evidence: { minutes: 20 } }, { late: false, deadlineAt: null }, NOW + 3);
    t.match(extended, { created: false, changed: true, record: { id: first.record.id, to: NOW + 20 * MINUTE, ended: true, state: 'acknowledged', acknowledgedBy: 'li' } });
    await store.upsertAlert({ ...event, key: 'other', model: 'data-gap', enterpriseId: 'b' }, { late: true, deadlineAt: null }, NOW);
    t.same((await store.alerts({ model: 'treatment-off' })).map((a) => a.id), [first.record.id]);
    t.same((await store.alerts({ states: ['open'] })).map((a) => a.model), ['data-gap']);
    t.equal((await store.alerts({ from: NOW + 30 * MINUTE })).length, 0, 'a window filter');
    t.equal((await store.alert(first.record.id))!.acknowledgedAt, NOW + 1);
  });

  withStore('store contract – risk scores: one per enterprise and day, a day read highest first, the newest day by default', async (t, store) => {
    const score = (date: string, enterpriseId: string, value: number) => {
      const event: AlertEvent = {
        model: 'risk-ranking', key: `risk-ranking:${enterpriseId}:${date}`, enterpriseId, facilities: [], severity: 'info',
        from: Date.parse(date), to: Date.parse(date) + 86_400_000, ended: true, evidence: { score: value }, declared: false, message: `risk score ${value}`,
      };
      return { date, enterpriseId, score: value, event, updatedAt: NOW };
    };
    t.same(await store.riskScores(null), [], 'none before the first day');
    await store.upsertRiskScore(score('2026-05-30', 'a', 90));
    await store.upsertRiskScore(score('2026-05-31', 'a', 20));
    await store.upsertRiskScore(score('2026-05-31', 'b', 40));
    await store.upsertRiskScore(score('2026-05-31', 'c', 40));
    await store.upsertRiskScore({ ...score('2026-05-31', 'a', 70), updatedAt: NOW + 1 });
    t.same((await store.riskScores(null)).map((s) => [s.date, s.enterpriseId, s.score]), [['2026-05-31', 'a', 70], ['2026-05-31', 'b', 40], ['2026-05-31', 'c', 40]], 'a re-evaluated day replaces its score; ties by enterprise id');
    t.same(await store.riskScores('2026-05-30'), [score('2026-05-30', 'a', 90)], 'the event comes back whole');
    t.ok(await store.deleteRiskScore('2026-05-31', 'b'));
    t.notOk(await store.deleteRiskScore('2026-05-31', 'b'), 'gone');
    t.same((await store.riskScores('2026-05-31')).map((s) => s.enterpriseId), ['a', 'c']);
    t.same(await store.riskScores('2026-06-01'), []);
  });

  t.test('store contract – everything survives close and reopen', async (t) => {
    const harness = await makeHarness();
    t.teardown(() => harness.cleanup());
    const store = await harness.open();
    await store.importEnterprise(enterprise('a', 'gw-a'), NOW);
    const reading: Reading = { seq: 7n, meter: 'm1', t: NOW, values: { p: 5 }, quality: { ei: 'error' } };
    await store.write([{ gatewayId: 'gw-a', reading: { ...reading }, flags: 0 }], []);
    await store.close();
    const again = await harness.reopen();
    t.teardown(() => again.close());
    t.same(await again.readings('gw-a', 'm1', NOW, NOW + 1, 1), [{ ...reading, gatewayId: 'gw-a', flags: 0 }]);
    t.same(await again.enterprise('a'), enterprise('a', 'gw-a'));
  });
}
