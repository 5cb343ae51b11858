// The alert export as an operator downloads it: GET /api/v1/alerts.csv over a real socket,
// parsed back as RFC 4180 (quoted fields with commas and quotes), filtered by range, model,
// enterprise and state.
import t from 'tap';
import { CSV_COLUMNS } from '../../collector/alerts/csv.js';
import { createApiToken } from '../../collector/http/auth.js';
import { apiClient, eventually, kilnAndDust, publishAcked, seedWithThresholds, seededCollector } from './fixtures.js';

const MINUTE_MS = 60_000;

/** RFC 4180: fields split on commas, quoted ones may hold commas, doubled quotes and line breaks; records end with CRLF. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += text[i++];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      records.push([...record, field]);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  return records;
}

t.test('alerts csv – a download of the range, one row per alert, filtered by model, enterprise and state', async (t) => {
  const { collector, clients: [gwA, gwB] } = await seededCollector(t, ['gw-a', 'gw-b'], {}, seedWithThresholds);
  const admin = apiClient(collector.httpUrl, await createApiToken(collector.store, 'admin', 'test', Date.now()));
  const read = apiClient(collector.httpUrl, await createApiToken(collector.store, 'read', 'test', Date.now()));

  // Both enterprises run their kiln with the dust collector off for 20 minutes, up to now.
  const from = Date.now() - 20 * MINUTE_MS;
  await publishAcked(gwA, 'gw-a', kilnAndDust(1n, from, Date.now() - 1_000, 50_000, 0));
  await publishAcked(gwB, 'gw-b', kilnAndDust(1n, from, Date.now() - 1_000, 50_000, 0));
  await eventually(async () => (await read('GET', '/api/v1/alerts?model=treatment-off')).json().alerts.length === 2, 'treatment-off in a and b', 20_000);
  const [alertB, alertA] = (await read('GET', '/api/v1/alerts?model=treatment-off')).json().alerts as { id: number; enterpriseId: string }[];
  t.equal(alertA!.enterpriseId, 'a');
  t.equal((await admin('POST', `/api/v1/alerts/${alertA!.id}/acknowledge`, { by: 'Li, shift "B"' })).status, 200);

  const range = `from=${new Date(from - 60 * MINUTE_MS).toISOString()}&to=${Date.now() + MINUTE_MS}`;
  const all = await read('GET', `/api/v1/alerts.csv?${range}&model=treatment-off`);
  t.equal(all.status, 200);
  t.match(all.type, /^text\/csv/);
  t.match(all.headers.get('content-disposition'), /^attachment; filename="tandem-alerts-\d{8}T\d{6}Z-\d{8}T\d{6}Z\.csv"$/);
  const rows = parseCsv(all.text);
  t.same(rows[0], [...CSV_COLUMNS], 'a header row');
  const column = (row: string[], name: (typeof CSV_COLUMNS)[number]) => row[CSV_COLUMNS.indexOf(name)];
  t.same(rows.slice(1).map((r) => [column(r, 'id'), column(r, 'enterprise'), column(r, 'model')]), [
    [String(alertA!.id), 'a', 'treatment-off'],
    [String(alertB!.id), 'b', 'treatment-off'],
  ].sort((x, y) => Number(x[0]) - Number(y[0])), 'one row per alert, every field in its column');
  const rowA = rows.find((r) => column(r, 'enterprise') === 'a')!;
  t.equal(column(rowA, 'acknowledged_by'), 'Li, shift "B"', 'a comma and quotes survive quoting');
  t.ok(Number(JSON.parse(column(rowA, 'evidence')!).minutes) >= 10, 'evidence is JSON');

  t.same(parseCsv((await read('GET', `/api/v1/alerts.csv?${range}&model=treatment-off&enterpriseId=b`)).text).slice(1).map((r) => column(r, 'enterprise')), ['b']);
  t.same(parseCsv((await read('GET', `/api/v1/alerts.csv?${range}&state=acknowledged`)).text).slice(1).map((r) => column(r, 'id')), [String(alertA!.id)]);
  const before = await read('GET', `/api/v1/alerts.csv?from=${from - 120 * MINUTE_MS}&to=${from - 60 * MINUTE_MS}`);
  t.same(parseCsv(before.text).length, 1, 'a range before the alerts: the header alone');
  const bad = await read('GET', `/api/v1/alerts.csv?${range}&state=done`);
  t.equal(bad.status, 400);
  t.match(bad.json(), { error: { code: 'TANDEM_COLLECTOR_INVALID', message: /state: 'done' is not one of/ } });
});
