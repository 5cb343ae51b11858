// Commands to a gateway and their replies (commands/command-service.ts).
import { notFound, objectBody } from '../params.js';
import type { Route } from '../router.js';

export const commandRoutes: Route[] = [
  {
    method: 'POST',
    path: '/api/v1/gateways/:id/commands',
    role: 'admin',
    async handler({ params, body }, { store, commands }) {
      if (!(await store.gateway(params.id!))) notFound(`gateway '${params.id}'`);
      const input = objectBody(body);
      const record = await commands.send(params.id!, input.name, input.args);
      return { status: 202, body: record };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/gateways/:id/commands/:command',
    role: 'read',
    async handler({ params }, { commands }) {
      const record = commands.get(params.command!);
      if (!record || record.gatewayId !== params.id) notFound(`command '${params.command}' for gateway '${params.id}' (only the last commands are kept)`);
      return { body: record };
    },
  },
];
