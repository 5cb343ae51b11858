import { readFileSync, readdirSync } from 'node:fs';
import t from 'tap';
import { TandemError } from '../../lib/errors.js';
import { encodeRaw, registerCount, type ValueType } from '../../protocol/codec.js';
import { decodePoint, encodePoint, profileParams, validateProfile, type ProfilePoint } from '../../protocol/profile.js';
import { PROFILES, PROFILE_IDS, getProfile } from '../../protocol/profiles/index.js';
import { QUANTITY_NAMES, type Quantity } from '../../protocol/quantities.js';

const folder = new URL('../../protocol/profiles/', import.meta.url);

t.test('profiles – all six load, each with the quantities its meter has', async (t) => {
  t.same([...PROFILE_IDS].sort(), ['adw300', 'dtsd1352', 'dtsu666', 'em24', 'iem3000', 'sdm630']);
  for (const id of PROFILE_IDS) {
    const expected = id === 'adw300' ? QUANTITY_NAMES.filter((q) => q !== 'pf' && q !== 'f') : QUANTITY_NAMES;
    t.same(Object.keys(getProfile(id).points).sort(), [...expected].sort(), id);
  }
  t.ok(getProfile('adw300').notes.some((n) => /PF/.test(n) && /frequency/.test(n)), 'adw300 says why pf and f are missing');
});

t.test('profiles – the folder and index.ts list the same files, each named after its id', async (t) => {
  const files = readdirSync(folder).filter((f) => f.endsWith('.json')).sort();
  const index = readFileSync(new URL('index.ts', folder), 'utf8');
  const imported = [...index.matchAll(/from '\.\/([\w-]+\.json)' with \{ type: 'json' \}/g)].map((m) => m[1]).sort();
  t.same(imported, files);
  t.same(files.map((f) => f.replace(/\.json$/, '')), [...PROFILES.keys()].sort());
  for (const [id, profile] of PROFILES) t.equal(profile.id, id);
});

t.test('profiles – every file has sources and notes, and uncertainties are written down', async (t) => {
  for (const profile of PROFILES.values()) {
    t.ok(profile.sources.length > 0 && profile.notes.length > 0, profile.id);
  }
  t.match(getProfile('dtsu666').points.ei?.uncertain, /0x401E/);
  t.match(getProfile('em24').points.ei?.uncertain, /0x0042/);
  t.match(getProfile('adw300').serial.uncertain, /1200/);
  t.match(getProfile('dtsd1352').serial.uncertain, /factory default/);
});

t.test('profiles – an unknown id names the known ones', async (t) => {
  t.throws(() => getProfile('dtsu999'), { code: 'TANDEM_PROFILE_UNKNOWN', message: /dtsu999.*adw300.*sdm630/ });
});

// ---- validator ---------------------------------------------------------------------------

const base = () => ({
  id: 'bad',
  name: 'Test meter',
  maker: 'Test',
  sources: ['none'],
  serial: { baud: 9600, parity: 'none', dataBits: 8, stopBits: 1, unit: 1 },
  points: {
    u1: { fc: 3, address: '0x2006', type: 'float32', scale: 0.1, unit: 'V' } as Record<string, unknown>,
    p: { fc: 3, address: '0x2012', type: 'float32', unit: 'W' } as Record<string, unknown>,
  } as Record<string, Record<string, unknown>>,
});

function problems(mutate: (p: ReturnType<typeof base>) => void): string[] {
  const source = base();
  mutate(source);
  try {
    validateProfile(source, 'bad.json');
  } catch (err) {
    if (err instanceof TandemError && err.code === 'TANDEM_PROFILE_INVALID') return (err.details as { problems: string[] }).problems;
    throw err;
  }
  return [];
}

t.test('profile validator – fills defaults and reads hex addresses', async (t) => {
  const profile = validateProfile({ ...base(), defaultOrder: 'CDAB' }, 'bad.json');
  t.same(profile.points.u1, { fc: 3, address: 0x2006, type: 'float32', order: 'CDAB', scale: 0.1, offset: 0, multiply: [], unit: 'V' });
  t.equal(profile.maxRegistersPerRead, 125);
  t.same(profile.params, {});
  t.same(profile.notes, []);
  t.same(problems((p) => (p.points.u1.count = 2)), [], 'a count that matches is fine');
  t.same(problems((p) => (p.points.p = { ...p.points.u1, fc: 4, unit: 'W' })), [], 'the same registers under another fc do not overlap');
});

t.test('profile validator – each rejection names file and field', async (t) => {
  const cases: [string, (p: ReturnType<typeof base>) => void, RegExp][] = [
    ['overlapping registers', (p) => (p.points.p.address = '0x2007'), /^bad\.json: points\.p\.address: registers 8199\.\.8200 overlap points\.u1/],
    ['float32 with count 1', (p) => (p.points.u1.count = 1), /^bad\.json: points\.u1\.count: 1 does not match float32, which takes 2 registers/],
    ['float32 with count 3', (p) => (p.points.u1.count = 3), /^bad\.json: points\.u1\.count: 3 does not match/],
    ['unknown quantity', (p) => (p.points.x1 = p.points.u1), /^bad\.json: points\.x1: unknown quantity \(known: u1, u2/],
    ['unknown type', (p) => (p.points.p.type = 'float33'), /^bad\.json: points\.p\.type: 'float33' is not one of int16, uint16, int32, uint32, int64, uint64, float32, float64$/],
    ['multiply by an undeclared param', (p) => (p.points.u1.multiply = ['pt']), /^bad\.json: points\.u1\.multiply\[0\]: multiplies by pt, which params does not declare/],
    ['unknown multiply param', (p) => {
      Object.assign(p, { params: { pt: { default: 1 } } });
      p.points.u1.multiply = ['vt'];
    }, /points\.u1\.multiply\[0\]: 'vt' is not one of pt, ct/],
    ['multiply twice', (p) => {
      Object.assign(p, { params: { ct: { default: 1 } } });
      p.points.u1.multiply = ['ct', 'ct'];
    }, /points\.u1\.multiply\[1\]: ct is listed twice/],
    ['unknown order', (p) => (p.points.u1.order = 'ABDC'), /points\.u1\.order: 'ABDC' is not one of ABCD, CDAB, BADC, DCBA/],
    ['bit is no quantity type', (p) => (p.points.u1.type = 'bit'), /points\.u1\.type: 'bit' is not one of/],
    ['fc 6', (p) => (p.points.u1.fc = 6), /points\.u1\.fc: 6 is not one of 3, 4/],
    ['address past 65535', (p) => (p.points.u1.address = 70000), /points\.u1\.address: 70000 is not an address 0\.\.65535/],
    ['bad hex address', (p) => (p.points.u1.address = '0x1FFFF'), /points\.u1\.address: '0x1FFFF' is not an address/],
    ['block past 65535', (p) => (p.points.u1.address = '0xFFFF'), /points\.u1\.address: float32 at 65535 runs past register 65535/],
    ['zero scale', (p) => (p.points.u1.scale = 0), /points\.u1\.scale: 0 is not a number > 0/],
    ['negative scale', (p) => (p.points.u1.scale = -1), /points\.u1\.scale: -1 is not a number > 0/],
    ['NaN scale', (p) => (p.points.u1.scale = Number.NaN), /points\.u1\.scale: null is not a number > 0/],
    ['wrong unit', (p) => (p.points.p.unit = 'kW'), /points\.p\.unit: 'kW' is not 'W', the unit of p/],
    ['transform off pf', (p) => (p.points.u1.transform = 'schneider-pf'), /points\.u1\.transform: 'schneider-pf' only applies to pf/],
    ['unknown point field', (p) => (p.points.u1.adress = 1), /^bad\.json: points\.u1\.adress: unknown field/],
    ['unknown top field', (p) => Object.assign(p, { comment: 'x' }), /^bad\.json: comment: unknown field/],
    ['bad baud', (p) => (p.serial.baud = 9601), /^bad\.json: serial\.baud: 9601 is not one of 1200, 2400/],
    ['bad parity', (p) => (p.serial.parity = 'mark'), /^bad\.json: serial\.parity: 'mark' is not one of none, even, odd/],
    ['unit 0', (p) => (p.serial.unit = 0), /^bad\.json: serial\.unit: 0 is not a unit id 1\.\.247/],
    ['bad param default', (p) => Object.assign(p, { params: { ct: { default: 0 } } }), /^bad\.json: params\.ct\.default: 0 is not a ratio > 0/],
    ['no sources', (p) => (p.sources = []), /^bad\.json: sources: \[\] is not a list of at least 1 strings/],
    ['bad id', (p) => (p.id = 'DTSU 666'), /^bad\.json: id: 'DTSU 666' is not a lower-case id/],
  ];
  for (const [what, mutate, expected] of cases) {
    const found = problems(mutate);
    t.equal(found.length, 1, `${what}: one problem`);
    t.match(found[0], expected, what);
  }
});

t.test('profile validator – reports every problem at once, in the message too', async (t) => {
  const source = base();
  source.points.p.type = 'float33';
  source.points.u1.count = 1;
  source.serial.parity = 'mark';
  const err = t.throws(() => validateProfile(source, 'dtsu666.json'), { code: 'TANDEM_PROFILE_INVALID' }) as TandemError;
  const lines = err.message.split('\n');
  t.equal(lines.length, 3);
  t.ok(lines.every((line) => line.startsWith('dtsu666.json: ')));
  t.match(err.message, /points\.p\.type: 'float33'/);
  t.match(err.message, /points\.u1\.count: 1/);
  t.match(err.message, /serial\.parity: 'mark'/);
  t.throws(() => validateProfile([], 'x.json'), { message: /^x\.json: \(file\): \[\] is not an object$/ });
});

// ---- point values -------------------------------------------------------------------------

const PLAUSIBLE: Record<Quantity, number> = { u1: 230.1, u2: 230.1, u3: 230.1, i1: 12.5, i2: 12.5, i3: 12.5, p: 4000, pf: 0.93, f: 50.01, ei: 12345.678 };

/** Half a step for integer registers, float32's precision otherwise. */
function tolerance(point: ProfilePoint, ratio: number, value: number): number {
  const integer: ValueType[] = ['int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'];
  return integer.includes(point.type) ? (point.scale * ratio) / 2 + 1e-9 : Math.abs(value) * 2 ** -23;
}

t.test('profiles – every point of every profile round-trips plausible values', async (t) => {
  for (const profile of PROFILES.values()) {
    for (const [q, point] of Object.entries(profile.points) as [Quantity, ProfilePoint][]) {
      for (const value of q === 'p' || q === 'pf' ? [PLAUSIBLE[q], -PLAUSIBLE[q]] : [PLAUSIBLE[q]]) {
        const regs = encodePoint(point, value);
        t.equal(regs.length, registerCount(point.type));
        const back = decodePoint(point, regs);
        t.ok(Math.abs(back - value) <= tolerance(point, 1, value), `${profile.id}.${q}: ${value} → ${back}`);
      }
    }
  }
});

t.test('profiles – dtsd1352 multiplies by the PT and CT ratios', async (t) => {
  const { points } = getProfile('dtsd1352');
  const params = { pt: 100, ct: 40 }; // 10 kV / 100 V, 200 A / 5 A
  t.equal(decodePoint(points.u1!, [577], params), 5770, '57.7 V secondary is 5770 V');
  t.equal(decodePoint(points.i1!, [125], params), 50, '1.25 A secondary is 50 A');
  t.equal(decodePoint(points.p!, [0, 100], params), 400_000, '0.1 kW secondary is 400 kW');
  t.equal(decodePoint(points.ei!, encodeRaw(1234567, 'uint32'), params), 49_382_680);
  t.equal(decodePoint(points.f!, [5001], params), 50.01, 'frequency has no ratio');
  t.equal(decodePoint(points.p!, [0, 100]), 100, 'ratios not given are 1');
  t.same(profileParams(getProfile('dtsd1352'), { ct: 40 }), { pt: 1, ct: 40 }, 'configured ratios over profile defaults');
  t.same(profileParams(getProfile('em24')), { pt: undefined, ct: undefined });
  t.same(encodePoint(points.p!, 400_000, params), [0, 100]);
  t.same(encodePoint(points.u1!, 5770, params), [577]);
  for (const [q, value] of Object.entries(PLAUSIBLE) as [Quantity, number][]) {
    const point = points[q]!;
    const ratio = point.multiply.reduce((r, name) => r * params[name], 1);
    const primary = value * ratio;
    t.ok(Math.abs(decodePoint(point, encodePoint(point, primary, params), params) - primary) <= tolerance(point, ratio, primary), q);
  }
  t.throws(() => decodePoint(points.p!, [0, 1], { pt: 0, ct: 40 }), { name: 'RangeError', message: /pt: 0/ });
});

t.test('profiles – schneider-pf decodes all four quadrants and encodes as a lagging import', async (t) => {
  const pf = getProfile('iem3000').points.pf!;
  const read = (register: number) => decodePoint(pf, encodeRaw(register, 'float32'));
  const near = (a: number, b: number) => Math.abs(a - b) < 1e-6;
  t.ok(near(read(0.93), 0.93), 'quadrant 1: as is');
  t.ok(near(read(1.07), 0.93), 'quadrant 4: 2 − r');
  t.ok(near(read(-0.93), -0.93), 'negative PF sent as is');
  t.ok(near(read(-1.07), -0.93), 'negative PF sent below −1: −2 − r');
  t.equal(read(1), 1);
  t.equal(read(-1), -1);
  t.equal(read(2), 0);
  t.ok(Number.isNaN(read(2.5)), 'beyond ±2 is no PF');
  t.same(encodePoint(pf, 0.93), encodeRaw(0.93, 'float32'));
  t.same(encodePoint(pf, -0.93), encodeRaw(-0.93, 'float32'));
  t.throws(() => encodePoint(pf, 1.2), { name: 'RangeError', message: /pf: 1\.2/ });
});
