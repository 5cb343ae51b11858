// Liveness and what ingest, the broker and the models did since start (counters, refusals).
import type { Route } from '../router.js';

export const healthRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/v1/health',
    role: 'read',
    async handler(_request, { store, ingest, bus, analysis }) {
      return {
        body: {
          ok: true,
          mqttUrl: bus.url,
          ingest: ingest.stats,
          broker: bus.stats,
          models: analysis.stats?.() ?? null,
          readings: await store.readingCount(),
          quarantined: await store.quarantineCount(),
        },
      };
    },
  },
];
