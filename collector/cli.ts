// `tandem collector`: runs the server; subcommands edit the registry and the models'
// parameters, create operator and enrolment tokens. Subcommands work on the database file
// directly, also while the server runs (it notices registry changes within a second,
// publishes new configurations and reloads the models).
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { intOption, untilSignal, UsageError, type Command } from '../lib/command.js';
import { dbOption, withStore } from './cli-store.js';
import { createApiToken, TOKEN_ROLES } from './http/auth.js';
import { startCollector } from './index.js';
import { createEnrolToken, DEFAULT_ENROL_TTL_HOURS } from './registry/enrolment.js';
import { importEnterprises, readRegistryFile } from './registry/import-file.js';
import type { TokenRole } from './store/store.js';
import type { Enterprise } from '../protocol/index.js';
import { scoreCommand } from './models/score-command.js';
import { modelParamsCommand } from './model-params/command.js';

const tokenCommand: Command = {
  name: 'token',
  summary: 'Operator API tokens.',
  subcommands: [
    {
      name: 'create',
      summary: 'Create a bearer token for the HTTP API; it is printed once and stored hashed.',
      options: {
        db: dbOption,
        role: { type: 'string', description: `read or admin`, default: 'read', valueName: 'ROLE' },
        name: { type: 'string', description: 'who or what it is for', default: 'operator', valueName: 'NAME' },
      },
      async run(ctx) {
        const role = String(ctx.values.role);
        if (!TOKEN_ROLES.includes(role as TokenRole)) throw new UsageError(`--role must be one of ${TOKEN_ROLES.join(', ')}, got '${role}'.`);
        const token = await withStore(ctx, (store) => createApiToken(store, role as TokenRole, String(ctx.values.name), Date.now()));
        ctx.out(token);
        return 0;
      },
    },
  ],
};

const importCommand: Command = {
  name: 'import',
  summary: 'Import enterprises from JSON or YAML files (one enterprise, {enterprises:[...]}, or a simulator site file).',
  positionals: 'FILE...',
  options: { db: dbOption },
  async run(ctx) {
    if (ctx.positionals.length === 0) throw new UsageError('name at least one FILE to import.');
    const all: Enterprise[] = [];
    for (const file of ctx.positionals) all.push(...(await readRegistryFile(file)));
    await withStore(ctx, (store) => importEnterprises(store, all, Date.now()));
    ctx.out(`imported ${all.length} enterprise(s): ${all.map((e) => e.id).join(', ')}`);
    return 0;
  },
};

const gatewayCommand: Command = {
  name: 'gateway',
  summary: 'Gateways and their enrolment tokens.',
  subcommands: [
    {
      name: 'create',
      summary: 'Register a gateway (if new) and print a one-time enrolment token for `tandem agent enroll`.',
      options: {
        db: dbOption,
        id: { type: 'string', description: 'gateway id (lowercase letters, digits, - and _)', valueName: 'ID' },
        enterprise: { type: 'string', description: 'enterprise it belongs to', valueName: 'ID' },
        'ttl-hours': { type: 'string', description: 'how long the token is valid', default: String(DEFAULT_ENROL_TTL_HOURS), valueName: 'H' },
      },
      async run(ctx) {
        const id = typeof ctx.values.id === 'string' ? ctx.values.id : '';
        if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(id)) throw new UsageError(`--id must be a gateway id (lowercase letters, digits, '-' and '_'), got '${id}'.`);
        const ttl = intOption(ctx.values, 'ttl-hours', 1, 24 * 365)!;
        const { token, expiresAt } = await withStore(ctx, async (store) => {
          if (!store.gateway(id)) store.createGateway(id, typeof ctx.values.enterprise === 'string' ? ctx.values.enterprise : null, Date.now());
          return createEnrolToken(store, id, Date.now(), ttl);
        });
        ctx.out(token);
        ctx.err(`one-time enrolment token for gateway '${id}', valid until ${new Date(expiresAt).toISOString()}`);
        return 0;
      },
    },
  ],
};

export const collectorCommand: Command = {
  name: 'collector',
  summary: 'The cloud half: broker, ingest, store, registry, models, alerts, API and web page.',
  details: 'With no subcommand, runs the collector until Ctrl-C. See collector/README.md for the HTTP API.',
  options: {
    db: dbOption,
    host: { type: 'string', description: 'interface to listen on', default: '0.0.0.0', valueName: 'HOST' },
    'mqtt-port': { type: 'string', description: 'embedded broker port (0: a free one)', default: '1883', valueName: 'N' },
    'http-port': { type: 'string', description: 'HTTP API port (0: a free one)', default: '8080', valueName: 'N' },
    'ws-port': { type: 'string', description: 'also accept MQTT over WebSocket on this port (0: a free one)', valueName: 'N' },
    broker: { type: 'string', description: 'use this external broker instead of the embedded one', valueName: 'mqtt://USER:PASS@HOST:PORT' },
    'broker-client-id': { type: 'string', description: 'client id on the external broker', default: 'tandem-collector', valueName: 'ID' },
    'tls-key': { type: 'string', description: 'PEM key: the embedded broker speaks MQTT over TLS', valueName: 'FILE' },
    'tls-cert': { type: 'string', description: 'PEM certificate for --tls-key', valueName: 'FILE' },
    'public-mqtt-url': { type: 'string', description: 'MQTT URL given to gateways at enrolment', valueName: 'URL' },
    'raw-retention-days': { type: 'string', description: 'delete raw readings older than this (minute rollups stay)', default: '400', valueName: 'DAYS' },
    'no-models': { type: 'boolean', description: 'store and ack only: no models, alerts or webhooks (e.g. a baseline)' },
    json: { type: 'boolean', description: 'print where it listens as one JSON line' },
    'state-file': { type: 'string', description: 'also write where it listens (JSON) to this file', valueName: 'FILE' },
  },
  subcommands: [tokenCommand, gatewayCommand, importCommand, modelParamsCommand, scoreCommand],
  async run(ctx) {
    const { values } = ctx;
    const key = values['tls-key'];
    const cert = values['tls-cert'];
    if ((key === undefined) !== (cert === undefined)) throw new UsageError('--tls-key and --tls-cert go together.');
    const running = await startCollector({
      db: String(values.db),
      host: String(values.host),
      mqttPort: intOption(values, 'mqtt-port', 0, 65535),
      httpPort: intOption(values, 'http-port', 0, 65535),
      wsPort: intOption(values, 'ws-port', 0, 65535),
      broker: typeof values.broker === 'string' ? values.broker : undefined,
      brokerClientId: String(values['broker-client-id']),
      tls: typeof key === 'string' && typeof cert === 'string' ? { key: await readFile(key), cert: await readFile(cert) } : undefined,
      publicMqttUrl: typeof values['public-mqtt-url'] === 'string' ? values['public-mqtt-url'] : undefined,
      rawRetentionDays: intOption(values, 'raw-retention-days', 1, 36500),
      models: values['no-models'] !== true,
    });
    const where = { mqttUrl: running.mqttUrl, httpUrl: running.httpUrl, ...(running.wsUrl ? { wsUrl: running.wsUrl } : {}), pid: process.pid };
    if (values.json) ctx.out(JSON.stringify(where));
    else {
      ctx.out(`mqtt listening on ${running.mqttUrl}`);
      if (running.wsUrl) ctx.out(`mqtt over websocket listening on ${running.wsUrl}`);
      ctx.out(`http listening on ${running.httpUrl}`);
    }
    if (typeof values['state-file'] === 'string') writeFileSync(values['state-file'], JSON.stringify(where) + '\n');
    await untilSignal();
    await running.stop();
    return 0;
  },
};
