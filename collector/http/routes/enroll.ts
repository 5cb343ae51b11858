// POST /api/v1/enroll {token}: the contract with `tandem agent enroll` (collector/README.md).
// Public: the one-time token is the credential.
import { enrol } from '../../registry/enrolment.js';
import { objectBody, stringField } from '../params.js';
import type { Route } from '../router.js';

export const enrollRoutes: Route[] = [
  {
    method: 'POST',
    path: '/api/v1/enroll',
    role: 'public',
    async handler({ body }, { store, publicMqttUrl, now, log }) {
      const token = stringField(objectBody(body), 'token');
      const enrolment = await enrol(store, token, publicMqttUrl, now());
      log.info({ gatewayId: enrolment.gatewayId }, 'gateway enrolled');
      return { status: 201, body: enrolment };
    },
  },
];
