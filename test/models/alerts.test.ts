// The alert workflow (collector/alerts): events from the models open and extend alerts,
// operators step them through, the data closes declared and withdrawn ones; CSV export.
import { test } from 'tap';
import { MemoryAlertStore } from '../../collector/alerts/alert-store.js';
import { alertsCsv, CSV_COLUMNS } from '../../collector/alerts/csv.js';
import { isOverdue } from '../../collector/alerts/lifecycle.js';
import { createAlertService, type AlertChange } from '../../collector/alerts/service.js';
import type { AlertEvent } from '../../collector/models/contract.js';
import type { AlertRecord } from '../../collector/store/store.js';

const T0 = Date.parse('2026-12-01T06:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;

function event(overrides: Partial<AlertEvent> = {}): AlertEvent {
  return {
    model: 'treatment-off',
    key: 'treatment-off:fan:2026-12-01T06:00:00.000Z',
    enterpriseId: 'ent-a',
    facilities: ['kiln', 'fan'],
    severity: 'critical',
    from: T0,
    to: T0 + 10 * MIN,
    ended: false,
    evidence: { productionPowerW: 50_000, treatmentPowerW: 0 },
    declared: false,
    message: 'fan off while kiln ran',
    detectedAt: T0 + 10 * MIN,
    ...overrides,
  };
}

function setup() {
  let now = T0 + 11 * MIN;
  const changes: [number, AlertChange, string][] = [];
  const rankings: AlertEvent[] = [];
  const store = new MemoryAlertStore();
  const service = createAlertService({
    store,
    clock: () => now,
    onChange: (a, change) => void changes.push([a.id, change, a.state]),
    onRanking: (e) => void rankings.push(e),
  });
  return { service, store, changes, rankings, advance: (ms: number) => (now += ms), now: () => now };
}

test('alerts – an event opens an alert with a 24 h dispatch deadline; extending events update it, once per change', async (t) => {
  const { service, changes, advance } = setup();
  await service.sink.upsert(event(), { late: false });
  const [alert] = await service.list({});
  t.match(alert, { id: 1, state: 'open', late: false, overdue: false, deadlineAt: T0 + 11 * MIN + 24 * HOUR });
  await service.sink.upsert(event(), { late: false });
  t.equal(changes.length, 1, 'the same event again changes nothing');
  advance(MIN);
  await service.sink.upsert(event({ to: T0 + 40 * MIN, ended: true }), { late: false });
  const extended = (await service.get(1))!;
  t.match(extended, { to: T0 + 40 * MIN, ended: true, state: 'open' });
  t.same(changes.map(([, c]) => c), ['alert.created', 'alert.updated']);
  t.equal((await service.list({})).length, 1, 'one condition, one alert');
});

test('alerts – open → acknowledged → dispatched → closed, each step with who and when', async (t) => {
  const { service, advance, now } = setup();
  await service.sink.upsert(event(), { late: false });
  advance(5 * MIN);
  const acked = await service.step(1, 'acknowledge', { by: 'li.wei', note: 'looking' });
  t.match(acked, { state: 'acknowledged', acknowledgedBy: 'li.wei', acknowledgedAt: now() });
  advance(HOUR);
  const sent = await service.step(1, 'dispatch', { by: 'li.wei', assignee: 'team 3' });
  t.match(sent, { state: 'dispatched', dispatchedBy: 'li.wei', dispatchedAt: now() });
  advance(3 * HOUR);
  const closed = await service.step(1, 'close', { by: 'zhang.min', disposition: 'violation', note: 'fan switched off to save power' });
  t.match(closed, { state: 'closed', disposition: 'violation', closedBy: 'zhang.min', closedAt: now() });
  t.equal(closed.note, 'li.wei: looking\nli.wei: → team 3\nzhang.min: fan switched off to save power');
  await service.sink.upsert(event({ to: T0 + 50 * MIN, ended: true }), { late: false });
  t.match(await service.get(1), { state: 'closed', to: T0 + 50 * MIN }, 'an extending event never reopens what an operator closed');
});

test('alerts – steps out of order are refused naming the state, a bad disposition names the choices', async (t) => {
  const { service } = setup();
  await service.sink.upsert(event(), { late: false });
  await t.rejects(service.step(1, 'dispatch', {}), { code: 'TANDEM_COLLECTOR_CONFLICT', message: /alert 1 is open; it cannot be dispatched; acknowledge it first/ });
  await t.rejects(service.step(1, 'close', { disposition: 'fixed' }), { code: 'TANDEM_COLLECTOR_INVALID', message: /violation, equipment-fault, declared, false-alarm/ });
  await service.step(1, 'close', { disposition: 'false-alarm' });
  await t.rejects(service.step(1, 'acknowledge', {}), { code: 'TANDEM_COLLECTOR_CONFLICT', message: /is closed/ });
  await t.rejects(service.step(9, 'acknowledge', {}), { code: 'TANDEM_COLLECTOR_NOT_FOUND' });
});

test('alerts – overdue once the deadline passes before dispatch, never after dispatch', async (t) => {
  const { service, advance } = setup();
  await service.sink.upsert(event(), { late: false });
  advance(24 * HOUR + MIN);
  t.equal((await service.get(1))!.overdue, true);
  await service.step(1, 'acknowledge', {});
  t.equal((await service.get(1))!.overdue, true, 'acknowledging is not dispatching');
  await service.step(1, 'dispatch', {});
  t.equal((await service.get(1))!.overdue, false);
  t.equal(isOverdue({ state: 'open', deadlineAt: null }, Infinity), false, 'no deadline, never overdue');
});

test('alerts – inside a notice an alert is recorded declared and closed by the system, without a deadline', async (t) => {
  const { service } = setup();
  await service.sink.upsert(event({ declared: true }), { late: false });
  t.match(await service.get(1), { state: 'closed', disposition: 'declared', closedBy: 'system', deadlineAt: null, overdue: false });
  await service.sink.upsert(event({ declared: false }), { late: true });
  t.match(await service.get(1), { state: 'open', disposition: null }, 'a notice withdrawn later reopens it');
  t.ok((await service.get(1))!.deadlineAt !== null);
});

test('alerts – a withdrawn event (a gap the backlog filled) closes a pending alert as a false alarm with the reason', async (t) => {
  const { service } = setup();
  const gap = event({ model: 'data-gap', key: 'data-gap:fan:x', severity: 'warning', facilities: ['fan'] });
  await service.sink.upsert(gap, { late: false });
  await service.sink.upsert({ ...gap, ended: true, withdrawn: 'data arrived' }, { late: false });
  t.match(await service.get(1), { state: 'closed', disposition: 'false-alarm', closedBy: 'system', withdrawn: 'data arrived' });
  t.match((await service.get(1))!.note, /withdrawn: data arrived/);
  await service.sink.upsert(event(), { late: false });
  await service.step(2, 'acknowledge', {});
  await service.step(2, 'dispatch', {});
  await service.sink.upsert({ ...event(), withdrawn: 'not found again with later data' }, { late: false });
  t.match(await service.get(2), { state: 'dispatched', withdrawn: 'not found again with later data' }, 'a dispatched inspector is told, not overruled');
});

test('alerts – risk-ranking events go to the ranking, not the alert queue', async (t) => {
  const { service, rankings } = setup();
  await service.sink.upsert(event({ model: 'risk-ranking', key: 'risk-ranking:ent-a:x', severity: 'info', facilities: [] }), { late: false });
  t.equal(rankings.length, 1);
  t.same(await service.list({}), []);
});

test('alerts – CSV export of a time range: header, one row per alert overlapping it, quoted fields', async (t) => {
  const { service, store, now } = setup();
  await service.sink.upsert(event(), { late: false });
  await service.sink.upsert(event({ key: 'k2', from: T0 + 2 * HOUR, to: T0 + 3 * HOUR, message: 'fan "weak", at 40 %' }), { late: true });
  await service.sink.upsert(event({ key: 'k3', from: T0 + 30 * HOUR, to: T0 + 31 * HOUR }), { late: false });
  const csv = alertsCsv(store.alerts({}) as AlertRecord[], { from: T0, to: T0 + 24 * HOUR }, now());
  const lines = csv.split('\r\n');
  t.equal(lines[0], CSV_COLUMNS.join(','));
  t.equal(lines.length, 4, 'header, two rows, final CRLF');
  t.match(lines[1], /^1,treatment-off,ent-a,kiln fan,critical,2026-12-01T06:00:00.000Z,2026-12-01T06:10:00.000Z,false,false,false,open,,false,/);
  t.match(lines[2], /"fan ""weak"", at 40 %"/);
  t.match(lines[2], /,true,open,/, 'late');
});
