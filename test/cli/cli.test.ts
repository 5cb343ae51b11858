import t from 'tap';
import { runTandem } from '../helpers/cli.js';

t.test('tandem --help – lists every subcommand', async (t) => {
  const result = await runTandem(['--help']);
  t.equal(result.code, 0);
  for (const sub of ['agent', 'collector', 'sim', 'demo']) t.match(result.stdout, new RegExp(`^  ${sub}\\s`, 'm'), sub);
});

t.test('tandem <sub> --help – each subcommand has its own help', async (t) => {
  for (const sub of ['agent', 'collector', 'sim', 'demo']) {
    const result = await runTandem([sub, '--help']);
    t.equal(result.code, 0, `${sub} --help exits 0`);
    t.match(result.stdout, new RegExp(`Usage: tandem ${sub}`), sub);
  }
});

t.test('tandem – an unknown subcommand is a usage error naming it', async (t) => {
  const result = await runTandem(['frobnicate']);
  t.equal(result.code, 2);
  t.match(result.stderr, /unknown subcommand 'frobnicate'/);
  t.match(result.stderr, /tandem --help/);
});

t.test('tandem – an unknown flag is a usage error naming it', async (t) => {
  const result = await runTandem(['demo', '--no-such-flag']);
  t.equal(result.code, 2);
  t.match(result.stderr, /--no-such-flag/);
});
