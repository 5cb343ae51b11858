// Gateways: registration, state, health, and where each stands in the configuration
// rollout (an old or rejected version is what an operator must look at).
import { GATEWAY_ID_PATTERN } from '../../../protocol/index.js';
import { createEnrolToken } from '../../registry/enrolment.js';
import type { GatewayRecord, GatewayStatus } from '../../store/store.js';
import { notFound, objectBody, stringField } from '../params.js';
import type { Route } from '../router.js';

function view(record: GatewayRecord, status: GatewayStatus | null) {
  const ack = status?.ack ?? null;
  const configVersion = status?.configVersion ?? null;
  return {
    ...record,
    online: status?.online ?? null,
    stateAt: status?.stateAt ?? null,
    lastSeenAt: status?.lastSeenAt ?? null,
    health: status?.health ?? null,
    healthAt: status?.healthAt ?? null,
    clockOffsetMs: status?.clockOffsetMs ?? null,
    lastGap: status?.lastGap ?? null,
    config: {
      version: configVersion,
      ackedVersion: ack?.version ?? null,
      ackStatus: ack?.status ?? null,
      running: ack?.running ?? null,
      errors: ack?.errors ?? [],
      /** The gateway does not run the newest version (no ack yet, an older one, or a refusal). */
      outdated: configVersion !== null && ack?.running !== configVersion,
      rejected: ack !== null && ack.version === configVersion && (ack.status === 'rejected' || ack.status === 'rolled-back'),
    },
  };
}

export const gatewayRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/v1/gateways',
    role: 'read',
    async handler(_request, { store }) {
      const statuses = new Map((await store.gatewayStatuses()).map((s) => [s.id, s]));
      return { body: { gateways: (await store.gateways()).map((g) => view(g, statuses.get(g.id) ?? null)) } };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/gateways/:id',
    role: 'read',
    async handler({ params }, { store }) {
      const record = (await store.gateway(params.id!)) ?? notFound(`gateway '${params.id}'`);
      return { body: view(record, await store.gatewayStatus(params.id!)) };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/gateways',
    role: 'admin',
    async handler({ body }, { store, now }) {
      const input = objectBody(body);
      const id = stringField(input, 'id', GATEWAY_ID_PATTERN);
      const enterpriseId = input.enterpriseId === undefined ? null : stringField(input, 'enterpriseId');
      await store.createGateway(id, enterpriseId, now());
      const { token, expiresAt } = await createEnrolToken(store, id, now());
      return { status: 201, body: { id, enrolToken: token, expiresAt } };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/gateways/:id/enrol-token',
    role: 'admin',
    async handler({ params }, { store, now }) {
      const { token, expiresAt } = await createEnrolToken(store, params.id!, now());
      return { status: 201, body: { id: params.id, enrolToken: token, expiresAt } };
    },
  },
];
