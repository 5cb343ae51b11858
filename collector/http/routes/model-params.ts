// The models' catalogue and their parameters per enterprise or facility (DESIGN.md "The
// models": every threshold is configurable per enterprise or facility). A change reaches the
// live models within a second (live-models.ts follows it like a registry change).
import { collectorError } from '../../errors.js';
import { checkParams, findModel, unknownModel } from '../../model-params/check.js';
import { MODELS } from '../../models/registry.js';
import type { Store, ModelParamScope } from '../../store/store.js';
import { notFound, objectBody } from '../params.js';
import type { ApiRequest, Route } from '../router.js';

const SCOPES: Record<string, ModelParamScope> = { enterprises: 'enterprise', facilities: 'facility' };
const PATH = '/api/v1/model-params/:scope/:id/:model';

/** The scope, id and model a request names; 404 for an unknown scope, enterprise, facility or model. */
async function target({ params }: ApiRequest, store: Store) {
  const scope = SCOPES[params.scope!];
  if (!scope) notFound(`parameter scope '${params.scope}' (use enterprises or facilities)`);
  const id = params.id!;
  const exists = scope === 'enterprise' ? (await store.enterprise(id)) !== null : (await store.facilityInfos()).some((f) => f.id === id);
  if (!exists) notFound(`${scope} '${id}'`);
  const problem = unknownModel(params.model!);
  if (problem) throw collectorError('TANDEM_COLLECTOR_NOT_FOUND', problem);
  return { scope, id, model: findModel(params.model!)! };
}

export const modelParamRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/v1/models',
    role: 'read',
    handler: () => ({ body: { models: MODELS.map(({ id, kind, summary, defaults }) => ({ id, kind, summary, defaults })) } }),
  },
  {
    method: 'GET',
    path: '/api/v1/model-params',
    role: 'read',
    async handler(_request, { store }) {
      return { body: await store.modelConfig() };
    },
  },
  {
    method: 'GET',
    path: PATH,
    role: 'read',
    async handler(request, { store }) {
      const { scope, id, model } = await target(request, store);
      const own = await store.modelParams(scope, id, model.id);
      // A facility's parameters beat its enterprise's, which beat the defaults (models/model.ts paramsFor).
      const enterpriseId = scope === 'enterprise' ? null : (await store.facilityInfos()).find((f) => f.id === id)!.enterpriseId;
      const inherited = enterpriseId ? (await store.modelParams('enterprise', enterpriseId, model.id))?.params : undefined;
      return {
        body: {
          scope, id, model: model.id, defaults: model.defaults, params: own?.params ?? {}, updatedAt: own?.updatedAt ?? null,
          effective: { ...model.defaults, ...inherited, ...own?.params },
        },
      };
    },
  },
  {
    method: 'PUT',
    path: PATH,
    role: 'admin',
    async handler(request, { store, now, log }) {
      const { scope, id, model } = await target(request, store);
      const checked = checkParams(model, objectBody(request.body));
      if (!checked.ok) throw collectorError('TANDEM_COLLECTOR_INVALID', checked.problems.join('; '));
      await store.setModelParams(scope, id, model.id, checked.params, now());
      log.info({ scope, id, model: model.id, params: checked.params }, 'model parameters set');
      return { body: { scope, id, model: model.id, params: checked.params } };
    },
  },
  {
    method: 'DELETE',
    path: PATH,
    role: 'admin',
    async handler(request, { store, log }) {
      const { scope, id, model } = await target(request, store);
      if (!(await store.deleteModelParams(scope, id, model.id))) notFound(`parameters of ${model.id} set for ${scope} '${id}'`);
      log.info({ scope, id, model: model.id }, 'model parameters back to the defaults');
      return { body: { deleted: { scope, id, model: model.id } } };
    },
  },
];
