// The agent's configuration file, as a schema: every option with its default and unit.
// agent/README.md documents each one; keep the two in step.
import { Type, type Static } from '@sinclair/typebox';
import { GATEWAY_ID_PATTERN, PollConfigSchema, type PollConfig } from '../../protocol/index.js';
import { LOG_LEVELS } from '../../lib/logger.js';

/** Defaults (units in the names). The outbox default holds 30 days of 10 meters at 15 s with room to spare. */
export const DEFAULTS = {
  outboxMaxBytes: 256 * 1024 * 1024,
  outboxMaxAgeDays: 30,
  outboxMinFreeDiskBytes: 64 * 1024 * 1024,
  /** DESIGN.md: the outbox drains ≥ 20,000 readings/s; the cap sits above that. */
  backlogReadingsPerS: 25_000,
  ackTimeoutS: 30,
  healthIntervalS: 60,
  configCheckS: 10,
} as const;

const strict = { additionalProperties: false } as const;
const PathString = Type.String({ minLength: 1 });

export const AgentConfigFileSchema = Type.Object(
  {
    gatewayId: Type.String({ pattern: GATEWAY_ID_PATTERN.source }),
    mqtt: Type.Object(
      {
        url: Type.String({ pattern: '^(mqtt|mqtts|tcp|tls|ssl|ws|wss)://' }),
        username: Type.Optional(Type.String()),
        password: Type.Optional(Type.String()),
        ca: Type.Optional(PathString),
        cert: Type.Optional(PathString),
        key: Type.Optional(PathString),
      },
      strict,
    ),
    poll: PollConfigSchema,
    outbox: Type.Object(
      {
        path: PathString,
        maxBytes: Type.Optional(Type.Integer({ minimum: 1024 * 1024 })),
        maxAgeDays: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
        minFreeDiskBytes: Type.Optional(Type.Integer({ minimum: 0 })),
      },
      strict,
    ),
    uplink: Type.Optional(
      Type.Object(
        {
          backlogReadingsPerS: Type.Optional(Type.Integer({ minimum: 1 })),
          ackTimeoutS: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
          healthIntervalS: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
          configCheckS: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
        },
        strict,
      ),
    ),
    allowWrites: Type.Optional(Type.Boolean()),
    logLevel: Type.Optional(Type.Union(LOG_LEVELS.map((l) => Type.Literal(l)))),
  },
  strict,
);
export type AgentConfigFile = Static<typeof AgentConfigFileSchema>;

/** The file after validation: defaults filled in, paths absolute. */
export interface AgentConfig {
  /** The file it came from; the last good remote config and the status file live beside it. */
  file: string;
  gatewayId: string;
  mqtt: { url: string; username?: string; password?: string; ca?: string; cert?: string; key?: string };
  poll: PollConfig;
  outbox: { path: string; maxBytes: number; maxAgeDays: number; minFreeDiskBytes: number };
  uplink: { backlogReadingsPerS: number; ackTimeoutS: number; healthIntervalS: number; configCheckS: number };
  allowWrites: boolean;
  logLevel: (typeof LOG_LEVELS)[number];
}
