// Enterprises in the registry shape of protocol/registry.ts: list, read, replace one,
// bulk import, delete. Every write is followed by a configuration sync.
import { collectorError } from '../../errors.js';
import { enterprisesFromDocument, importEnterprises } from '../../registry/import-file.js';
import { notFound } from '../params.js';
import type { Route } from '../router.js';

export const enterpriseRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/v1/enterprises',
    role: 'read',
    async handler(_request, { store }) {
      const facilities = await store.facilityInfos();
      const enterprises = (await store.enterpriseInfos()).map((e) => ({ ...e, facilities: facilities.filter((f) => f.enterpriseId === e.id) }));
      return { body: { enterprises } };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/enterprises/:id',
    role: 'read',
    async handler({ params }, { store }) {
      return { body: (await store.enterprise(params.id!)) ?? notFound(`enterprise '${params.id}'`) };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/enterprises',
    role: 'admin',
    async handler({ body }, { store, config, now }) {
      const enterprises = enterprisesFromDocument(body, 'body');
      await importEnterprises(store, enterprises, now());
      await config.syncIfChanged();
      return { status: 201, body: { imported: enterprises.map((e) => e.id) } };
    },
  },
  {
    method: 'PUT',
    path: '/api/v1/enterprises/:id',
    role: 'admin',
    async handler({ params, body }, { store, config, now }) {
      const [enterprise] = enterprisesFromDocument(body, 'body');
      if (enterprise!.id !== params.id) throw collectorError('TANDEM_COLLECTOR_INVALID', `id: the body names '${enterprise!.id}' but the URL '${params.id}'`);
      await store.importEnterprise(enterprise!, now());
      await config.syncIfChanged();
      return { body: await store.enterprise(params.id!) };
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/enterprises/:id',
    role: 'admin',
    async handler({ params }, { store, config }) {
      if (!(await store.deleteEnterprise(params.id!))) notFound(`enterprise '${params.id}'`);
      await config.syncIfChanged();
      return { body: { deleted: params.id } };
    },
  },
];
