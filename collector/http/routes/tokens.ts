// Operator tokens created over the API (admins only); the plain token is in this answer only.
import { collectorError } from '../../errors.js';
import type { TokenRole } from '../../store/store.js';
import { createApiToken, TOKEN_ROLES } from '../auth.js';
import { objectBody, stringField } from '../params.js';
import type { Route } from '../router.js';

export const tokenRoutes: Route[] = [
  {
    method: 'POST',
    path: '/api/v1/tokens',
    role: 'admin',
    async handler({ body }, { store, now }) {
      const input = objectBody(body);
      const role = stringField(input, 'role');
      if (!TOKEN_ROLES.includes(role as TokenRole)) throw collectorError('TANDEM_COLLECTOR_INVALID', `role: expected one of ${TOKEN_ROLES.join(', ')}, got '${role}'`);
      const name = input.name === undefined ? 'operator' : stringField(input, 'name');
      return { status: 201, body: { role, name, token: await createApiToken(store, role as TokenRole, name, now()) } };
    },
  },
];
