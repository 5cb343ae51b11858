// Orders (a regulator's stop or limit-production windows) and notices (an enterprise's
// declared maintenance windows): operators enter them here, the models read them from the
// store (DESIGN.md "Order", "Notice").
import { randomUUID } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { formatIssues, schemaIssues } from '../../../protocol/index.js';
import { collectorError } from '../../errors.js';
import type { Notice, Order } from '../../models/contract.js';
import type { Route } from '../router.js';

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' });
const Time = Type.Integer({ minimum: 946_684_800_000, maximum: 4_102_444_800_000, description: 'epoch ms' });

const OrderInput = Type.Object(
  {
    id: Type.Optional(Id),
    kind: Type.Union([Type.Literal('stop'), Type.Literal('limit')]),
    /** The enterprises it applies to, or a `group` whose enterprises it is expanded to. */
    enterpriseIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 10_000 })),
    group: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    from: Time,
    to: Time,
    limitPct: Type.Optional(Type.Union([Type.Number({ exclusiveMinimum: 0, maximum: 100 }), Type.Null()])),
  },
  { additionalProperties: false },
);

const NoticeInput = Type.Object(
  { id: Type.Optional(Id), facility: Id, from: Time, to: Time, reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);

function checked<T>(schema: Parameters<typeof schemaIssues>[0], body: unknown): T {
  const issues = schemaIssues(schema, body);
  if (issues.length) throw collectorError('TANDEM_COLLECTOR_INVALID', formatIssues(issues));
  const window = body as { from: number; to: number };
  if (window.to <= window.from) throw collectorError('TANDEM_COLLECTOR_INVALID', `to: must be after from (${window.from})`);
  return body as T;
}

export const orderRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/v1/orders',
    role: 'read',
    handler: async (_request, { store }) => ({ body: { orders: await store.orders() } }),
  },
  {
    method: 'POST',
    path: '/api/v1/orders',
    role: 'admin',
    async handler({ body }, { store }) {
      const input = checked<Static<typeof OrderInput>>(OrderInput, body);
      if (input.kind === 'limit' && !input.limitPct) throw collectorError('TANDEM_COLLECTOR_INVALID', 'limitPct: a limit order needs the share of production power to cut (1–100)');
      const enterprises = await store.enterpriseInfos();
      const known = new Set(enterprises.map((e) => e.id));
      const ids = new Set(input.enterpriseIds ?? []);
      if (input.group !== undefined) for (const e of enterprises) if (e.group === input.group) ids.add(e.id);
      if (ids.size === 0) throw collectorError('TANDEM_COLLECTOR_INVALID', input.group !== undefined ? `group: no enterprise is in group '${input.group}'` : 'enterpriseIds: name the enterprises, or a group');
      const unknown = [...ids].filter((id) => !known.has(id));
      if (unknown.length) throw collectorError('TANDEM_COLLECTOR_INVALID', `enterpriseIds: no enterprise '${unknown.join("', '")}'`);
      const order: Order = { id: input.id ?? `order-${randomUUID()}`, kind: input.kind, enterpriseIds: [...ids], from: input.from, to: input.to, limitPct: input.kind === 'limit' ? input.limitPct! : null };
      await store.upsertOrder(order);
      return { status: 201, body: order };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/notices',
    role: 'read',
    handler: async (_request, { store }) => ({ body: { notices: await store.notices() } }),
  },
  {
    method: 'POST',
    path: '/api/v1/notices',
    role: 'admin',
    async handler({ body }, { store }) {
      const input = checked<Static<typeof NoticeInput>>(NoticeInput, body);
      if (!(await store.facilityInfos()).some((f) => f.id === input.facility)) {
        throw collectorError('TANDEM_COLLECTOR_INVALID', `facility: no facility '${input.facility}'; GET /api/v1/views/overview lists them`);
      }
      const notice: Notice = { id: input.id ?? `notice-${randomUUID()}`, facility: input.facility, from: input.from, to: input.to, reason: input.reason };
      await store.upsertNotice(notice);
      return { status: 201, body: notice };
    },
  },
];
