// Meters of a gateway, and their raw readings for a time range.
import { collectorError } from '../../errors.js';
import { integer, notFound, objectBody, stringField, timeRange } from '../params.js';
import type { Route } from '../router.js';

/** Most raw readings one answer returns (use the facility series for long ranges). */
export const MAX_READINGS = 10_000;

export const meterRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/v1/meters',
    role: 'read',
    async handler({ query }, { store }) {
      return { body: { meters: await store.meters(query.get('gateway') ?? undefined) } };
    },
  },
  {
    method: 'PUT',
    path: '/api/v1/gateways/:gateway/meters/:id',
    role: 'admin',
    async handler({ params, body }, { store, config }) {
      const input = objectBody(body);
      const unit = input.unit;
      if (typeof unit !== 'number' || !Number.isInteger(unit) || unit < 0 || unit > 247) {
        throw collectorError('TANDEM_COLLECTOR_INVALID', `unit: expected a Modbus unit id 0–247, got ${JSON.stringify(unit)}`);
      }
      for (const factor of ['pt', 'ct'] as const) {
        if (input[factor] !== undefined && !(typeof input[factor] === 'number' && input[factor] > 0)) {
          throw collectorError('TANDEM_COLLECTOR_INVALID', `${factor}: expected a positive ratio`);
        }
      }
      if (!(await store.gateway(params.gateway!))) notFound(`gateway '${params.gateway}'`);
      await store.upsertMeter({
        id: params.id!,
        gatewayId: params.gateway!,
        facility: stringField(input, 'facility'),
        bus: stringField(input, 'bus'),
        unit,
        profile: stringField(input, 'profile'),
        ...(input.pt !== undefined ? { pt: input.pt as number } : {}),
        ...(input.ct !== undefined ? { ct: input.ct as number } : {}),
      });
      const results = await config.syncAll(false);
      const problem = results.find((r) => r.gatewayId === params.gateway)?.problem;
      return { body: { meter: (await store.meters(params.gateway)).find((m) => m.id === params.id), configProblem: problem ?? null } };
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/gateways/:gateway/meters/:id',
    role: 'admin',
    async handler({ params }, { store, config }) {
      if (!(await store.deleteMeter(params.gateway!, params.id!))) notFound(`meter '${params.id}' on gateway '${params.gateway}'`);
      await config.syncIfChanged();
      return { body: { deleted: params.id } };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/gateways/:gateway/meters/:id/readings',
    role: 'read',
    async handler({ params, query }, { store, now }) {
      const { from, to } = timeRange(query, now());
      const limit = integer(query, 'limit', 1000, 1, MAX_READINGS);
      const readings = await store.readings(params.gateway!, params.id!, from, to, limit);
      return { body: { gateway: params.gateway, meter: params.id, from, to, readings } };
    },
  },
];
