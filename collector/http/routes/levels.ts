// A facility's levels as the models see them (DESIGN.md "Learned running level"): what was
// learned from its history, the thresholds an operator configured (PUT /facilities/:id sets
// them), and the effective ones its states use, configured over learned, each on its own.
import type { Engine } from '../../models/engine.js';
import { instant, notFound } from '../params.js';
import type { Route } from '../router.js';

/**
 * `engine` is the live models' engine; `refresh` brings it up to the registry first (a
 * threshold just changed is what the answer shows).
 */
export function levelRoutes(engine: Engine, refresh: () => Promise<void>): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/facilities/:id/levels',
      role: 'read',
      async handler({ params, query }, { store, now }) {
        const facility = (await store.facilityInfos()).find((f) => f.id === params.id) ?? notFound(`facility '${params.id}'`);
        const at = instant(query, 'at', now());
        await refresh();
        const levels = (await engine.levels(facility.id, at)) ?? notFound(`facility '${facility.id}' in the models`);
        return { body: { facility: facility.id, at, configured: facility.thresholds, learned: levels.learned, effective: levels.effective ?? null } };
      },
    },
  ];
}
