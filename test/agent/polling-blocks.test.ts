// Which requests read a meter: merged per function code, bounded, never across a refused register, relearned hourly.
import t from 'tap';
import { planBlocks } from '../../agent/polling/blocks.js';
import { MeterPlan } from '../../agent/polling/meter-reader.js';
import { getProfile, QUANTITY_NAMES, type ProfilePoint, type Quantity } from '../../protocol/index.js';

function pointsOf(profileId: string): [Quantity, ProfilePoint][] {
  const profile = getProfile(profileId);
  return QUANTITY_NAMES.flatMap((q): [Quantity, ProfilePoint][] => (profile.points[q] ? [[q, profile.points[q]!]] : []));
}

const shape = (blocks: ReturnType<typeof planBlocks>) => blocks.map((b) => [b.fc, b.address, b.count, b.points.map((p) => p.quantity).join(',')]);
const none = () => false;

t.test('block planner – merges adjacent points and fills gaps up to gapFill', async (t) => {
  // sdm630: u1..i3 at 0x00..0x0B; p 0x34, pf 0x3E (gap 8), f 0x46 (gap 6), ei 0x48.
  t.same(shape(planBlocks(pointsOf('sdm630'), { gapFill: 10, maxRegisters: 80, refused: none })), [
    [4, 0x00, 12, 'u1,u2,u3,i1,i2,i3'],
    [4, 0x34, 22, 'p,pf,f,ei'],
  ]);
  t.same(shape(planBlocks(pointsOf('sdm630'), { gapFill: 0, maxRegisters: 80, refused: none })), [
    [4, 0x00, 12, 'u1,u2,u3,i1,i2,i3'],
    [4, 0x34, 2, 'p'],
    [4, 0x3e, 2, 'pf'],
    [4, 0x46, 4, 'f,ei'],
  ]);
});

t.test('block planner – keeps function codes apart and respects the register limit', async (t) => {
  // dtsu666: ei is at 0x101E, far from the 0x2006.. block: always its own request.
  const blocks = planBlocks(pointsOf('dtsu666'), { gapFill: 100, maxRegisters: 125, refused: none });
  t.same(shape(blocks), [
    [3, 0x101e, 2, 'ei'],
    [3, 0x2006, 0x2046 - 0x2006, 'u1,u2,u3,i1,i2,i3,p,pf,f'],
  ]);
  const small = planBlocks(pointsOf('sdm630'), { gapFill: 10, maxRegisters: 6, refused: none });
  t.ok(small.every((b) => b.count <= 6), 'no block past maxRegisters');
  t.equal(small.flatMap((b) => b.points).length, 10, 'every point still read');
});

t.test('block planner – never spans a register the meter refused', async (t) => {
  const refused = (fc: number, r: number) => fc === 4 && r === 0x38; // inside the gap p..pf
  t.same(shape(planBlocks(pointsOf('sdm630'), { gapFill: 10, maxRegisters: 80, refused })), [
    [4, 0x00, 12, 'u1,u2,u3,i1,i2,i3'],
    [4, 0x34, 2, 'p'],
    [4, 0x3e, 12, 'pf,f,ei'],
  ]);
});

t.test('meter plan – a refused register is skipped, and asked again after an hour', async (t) => {
  const profile = getProfile('sdm630');
  const plan = new MeterPlan({ id: 'm1', unit: 1, profile: 'sdm630' }, profile, 10);
  const HOUR_MS = 3_600_000;
  plan.markUnsupported('pf', 0);
  t.same(shape(plan.blocks), [
    [4, 0x00, 12, 'u1,u2,u3,i1,i2,i3'],
    [4, 0x34, 2, 'p'],
    [4, 0x46, 4, 'f,ei'],
  ]);
  plan.relearnIfStale(HOUR_MS - 1);
  t.ok(plan.unsupported.has('pf'), 'still skipped within the hour');
  plan.relearnIfStale(HOUR_MS);
  t.same(plan.unsupported.size, 0);
  t.same(shape(plan.blocks)[1], [4, 0x34, 22, 'p,pf,f,ei'], 'merged again, pf included');
});
