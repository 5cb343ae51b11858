// `tandem agent` run/status/enroll as a user meets them: bad files fail at start naming
// the file and the field; enrolment errors carry the collector's reason.
import t from 'tap';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '../../collector/index.js';
import { createEnrolToken } from '../../collector/registry/enrolment.js';
import { createLogger } from '../../lib/logger.js';
import { runTandem } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tandem-agent-cli-'));

t.test('tandem agent --help – lists run, status and enroll', async (t) => {
  const result = await runTandem(['agent', '--help']);
  t.equal(result.code, 0);
  for (const sub of ['run', 'status', 'enroll']) t.match(result.stdout, new RegExp(`^  ${sub}\\s`, 'm'), sub);
  t.match(result.stdout, /--config FILE/);
});

t.test('tandem agent – without --config or a command, a usage error', async (t) => {
  const result = await runTandem(['agent']);
  t.equal(result.code, 2);
  t.match(result.stderr, /--config FILE/);
});

t.test('tandem agent --config – a missing file is named', async (t) => {
  const result = await runTandem(['agent', '--config', join(dir, 'nope.yaml')]);
  t.equal(result.code, 1);
  t.match(result.stderr, /TANDEM_AGENT_CONFIG_UNREADABLE: .*nope\.yaml/);
});

t.test('tandem agent run --config – an invalid file fails at start naming the file and every bad field', async (t) => {
  const file = join(dir, 'bad.yaml');
  writeFileSync(
    file,
    [
      'gatewayId: gw-1',
      'mqtt: { url: "mqtt://127.0.0.1:1" }',
      'poll:',
      '  pollIntervalS: 15',
      '  buses:',
      '    - { kind: tcp, id: b1, host: 127.0.0.1, port: 70000, meters: [] }',
      '    - { kind: rtu, id: b2, path: /dev/ttyUSB0, baud: 9600, meters: [{ id: m1, unit: 1, profile: nosuch }] }',
      'outbox: { path: outbox.db }',
    ].join('\n'),
  );
  const result = await runTandem(['agent', 'run', '--config', file]);
  t.equal(result.code, 1);
  t.match(result.stderr, /TANDEM_AGENT_CONFIG_INVALID: .*bad\.yaml: /);
  t.match(result.stderr, /poll\.buses\[0\]\.port/);
  t.match(result.stderr, /poll\.buses\[1\]\.meters\[0\]\.profile: unknown profile 'nosuch'/);

  writeFileSync(file, 'gatewayId: gw-1\nmqtt: { url: "mqtt://x" }\npoll: { pollIntervalS: 15, buses: [] }\noutbox: { path: o.db, maxBytes: 10 }\nallowWrite: true\n');
  const second = await runTandem(['agent', '--config', file]);
  t.match(second.stderr, /outbox\.maxBytes/);
  t.match(second.stderr, /allowWrite/, 'an unknown (misspelt) option is named');

  writeFileSync(file, 'gatewayId: [unclosed\n');
  const third = await runTandem(['agent', '--config', file]);
  t.match(third.stderr, /bad\.yaml: not valid YAML or JSON/);
});

t.test('tandem agent --config – an outbox that is not an outbox is named, and left alone', async (t) => {
  const file = join(dir, 'junk.yaml');
  writeFileSync(join(dir, 'junk.db'), 'not a database, just text that SQLite will refuse to open as one\n'.repeat(100));
  writeFileSync(file, 'gatewayId: gw-1\nmqtt: { url: "mqtt://127.0.0.1:1" }\npoll: { pollIntervalS: 15, buses: [] }\noutbox: { path: junk.db }\n');
  const result = await runTandem(['agent', '--config', file]);
  t.equal(result.code, 1);
  t.match(result.stderr, /TANDEM_AGENT_OUTBOX_UNUSABLE: outbox .*junk\.db: file is not a database/);
  t.match(readFileSync(join(dir, 'junk.db'), 'utf8'), /^not a database/, 'the file is untouched');
});

t.test('tandem agent status – without a running agent says so, and names an unreadable outbox', async (t) => {
  const file = join(dir, 'idle.yaml');
  writeFileSync(file, 'gatewayId: gw-1\nmqtt: { url: "mqtt://127.0.0.1:1" }\npoll: { pollIntervalS: 15, buses: [] }\noutbox: { path: idle.db }\n');
  const result = await runTandem(['agent', 'status', '--config', file]);
  t.equal(result.code, 1);
  t.match(result.stdout, /no status file: the agent has not run/);
  t.match(result.stderr, /cannot read the outbox .*idle\.db/);
});

t.test('tandem agent enroll – against the collector: a bad token is refused with its reason; a good one updates an existing file', async (t) => {
  const collector = await startCollector({ db: join(dir, 'collector.db'), host: '127.0.0.1', mqttPort: 0, httpPort: 0, log: createLogger('collector', 'silent') });
  t.teardown(() => collector.stop());
  const refused = await runTandem(['agent', 'enroll', '--collector', collector.httpUrl, '--token', 'enr_wrong', '--out', join(dir, 'x.yaml')]);
  t.equal(refused.code, 1);
  t.match(refused.stderr, /TANDEM_AGENT_ENROLL_FAILED: .*TANDEM_COLLECTOR_TOKEN_INVALID/);

  const unreachable = await runTandem(['agent', 'enroll', '--collector', 'http://127.0.0.1:1', '--token', 't', '--out', join(dir, 'x.yaml')]);
  t.match(unreachable.stderr, /TANDEM_AGENT_ENROLL_FAILED: cannot reach http:\/\/127\.0\.0\.1:1/);

  await collector.store.importEnterprise(
    { id: 'e1', name: 'E', gateway: { id: 'gw-cli', pollIntervalS: 15, buses: [] }, facilities: [{ id: 'f1', name: 'F', kind: 'production' }], meters: [] },
    Date.now(),
  );
  const out = join(dir, 'existing.yaml');
  writeFileSync(out, '# my gateway\ngatewayId: old\nmqtt: { url: "mqtt://old:1883" }\npoll: { pollIntervalS: 30, buses: [] }\noutbox: { path: kept.db }\nallowWrites: true\n');
  const { token } = await createEnrolToken(collector.store, 'gw-cli', Date.now());
  const enrolled = await runTandem(['agent', 'enroll', '--collector', collector.httpUrl, '--token', token, '--out', out]);
  t.equal(enrolled.code, 0, enrolled.stderr);
  t.match(enrolled.stdout, /Enrolled as gateway 'gw-cli'/);
  const text = readFileSync(out, 'utf8');
  t.match(text, /# my gateway/, 'comments kept');
  t.match(text, /gatewayId: gw-cli/);
  t.match(text, /password: /);
  t.match(text, /pollIntervalS: 30/, 'other options kept');
  t.match(text, /allowWrites: true/);
  t.equal(statSync(out).mode & 0o777, 0o600);
});
