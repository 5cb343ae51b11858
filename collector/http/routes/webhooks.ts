// Webhook subscriptions (collector/alerts/README.md "Webhooks"): where new and changed
// alerts are POSTed, signed with the subscription's secret. Admins only: the list shows secrets.
import { randomUUID } from 'node:crypto';
import type { AlertChange } from '../../alerts/service.js';
import { newSecret } from '../../broker/secrets.js';
import { collectorError } from '../../errors.js';
import { notFound, objectBody, stringField } from '../params.js';
import type { Route } from '../router.js';

const CHANGES: AlertChange[] = ['alert.created', 'alert.updated'];

export const webhookRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/v1/webhooks',
    role: 'admin',
    async handler(_request, { store }) {
      return { body: { webhooks: await store.webhookSubscriptions() } };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/webhooks',
    role: 'admin',
    async handler({ body }, { store, now }) {
      const input = objectBody(body);
      const url = stringField(input, 'url');
      if (!/^https?:\/\//.test(url) || !URL.canParse(url)) throw collectorError('TANDEM_COLLECTOR_INVALID', `url: expected an http:// or https:// URL, got '${url}'`);
      const events = input.events;
      if (events !== undefined && (!Array.isArray(events) || events.some((e) => !CHANGES.includes(e)))) {
        throw collectorError('TANDEM_COLLECTOR_INVALID', `events: expected a list of ${CHANGES.join(', ')}`);
      }
      const subscription = {
        id: input.id === undefined ? randomUUID() : stringField(input, 'id'),
        url,
        secret: input.secret === undefined ? newSecret() : stringField(input, 'secret'),
        ...(events ? { events: events as AlertChange[] } : {}),
      };
      await store.upsertWebhookSubscription(subscription, now());
      return { status: 201, body: subscription };
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/webhooks/:id',
    role: 'admin',
    async handler({ params }, { store }) {
      if (!(await store.deleteWebhookSubscription(params.id!))) notFound(`webhook subscription '${params.id}'`);
      return { body: { deleted: params.id } };
    },
  },
];
