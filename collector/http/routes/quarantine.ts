// What the collector could not accept, newest first, with the reason and the payload's start.
import { integer } from '../params.js';
import type { Route } from '../router.js';

export const quarantineRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/v1/quarantine',
    role: 'read',
    async handler({ query }, { store }) {
      const limit = integer(query, 'limit', 100, 1, 1000);
      const before = query.get('before') === null ? undefined : integer(query, 'before', 0, 1, Number.MAX_SAFE_INTEGER);
      return { body: { total: await store.quarantineCount(), entries: await store.quarantine(limit, before) } };
    },
  },
];
