// Schemas of every message on the wire (JSON Schema via TypeBox, so a third party can
// validate with any JSON Schema tool). protocol/README.md describes each in prose.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { QUANTITY_NAMES } from './quantities.js';
import { GATEWAY_ID_PATTERN } from './topics.js';

/** Every message carries `v`; a receiver refuses versions it does not speak. */
export const SCHEMA_VERSION = 1;

/** Limits a receiver enforces before anything else (units in the names). */
export const MAX_PAYLOAD_BYTES = 256 * 1024; // on the wire, possibly compressed
export const MAX_INFLATED_BYTES = 8 * 1024 * 1024; // after decompression: guards against zip bombs
export const MAX_BATCH_ROWS = 5000;
export const MAX_BATCH_METERS = 512;
/** Valid instants: 2000-01-01 .. 2100-01-01 UTC, in epoch milliseconds. */
export const MIN_TIMESTAMP_MS = Date.UTC(2000, 0, 1);
export const MAX_TIMESTAMP_MS = Date.UTC(2100, 0, 1);

const Version = Type.Literal(SCHEMA_VERSION, { description: 'schema version' });
const GatewayId = Type.String({ pattern: GATEWAY_ID_PATTERN.source, description: 'gateway id' });
/** A sequence number as a decimal string; range checked by seqProblem(). */
const Seq = Type.String({ pattern: '^(0|[1-9][0-9]{0,18})$', description: 'sequence number, decimal string' });
const Timestamp = Type.Integer({ minimum: MIN_TIMESTAMP_MS, maximum: MAX_TIMESTAMP_MS, description: 'epoch ms' });
const MeterId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' });
const strict = { additionalProperties: false } as const;

// ---- readings (topics data and backlog) ---------------------------------------------

const quantityColumns = Object.fromEntries(
  QUANTITY_NAMES.map((q) => [q, Type.Optional(Type.Array(Type.Union([Type.Integer(), Type.Null()]), { maxItems: MAX_BATCH_ROWS }))]),
);

/**
 * A batch of readings, columnar. Row i is reading number `seq + sum(ds[0..i])` of meter
 * `meters[m[i]]`, read at `t[0] + sum(dt[1..i])`. Column `q[name][i]` is the value in units
 * of the quantity's resolution, as a delta from the same meter's previous row in this batch
 * (the meter's first row is absolute); null where the quantity has no value.
 * `bad` lists [row, quantity, quality] for values whose quality is not 'ok'.
 */
export const ReadingBatchSchema = Type.Object(
  {
    v: Version,
    gw: GatewayId,
    seq: Seq,
    meters: Type.Array(MeterId, { minItems: 1, maxItems: MAX_BATCH_METERS }),
    ds: Type.Array(Type.Integer({ minimum: 0 }), { minItems: 1, maxItems: MAX_BATCH_ROWS }),
    t: Type.Array(Type.Integer(), { minItems: 1, maxItems: MAX_BATCH_ROWS }),
    m: Type.Array(Type.Integer({ minimum: 0, maximum: MAX_BATCH_METERS - 1 }), { minItems: 1, maxItems: MAX_BATCH_ROWS }),
    q: Type.Object(quantityColumns, strict),
    bad: Type.Optional(
      Type.Array(
        Type.Tuple([
          Type.Integer({ minimum: 0 }),
          Type.Union(QUANTITY_NAMES.map((q) => Type.Literal(q))),
          Type.Union([Type.Literal('unsupported'), Type.Literal('error'), Type.Literal('invalid')]),
        ]),
      ),
    ),
  },
  strict,
);
export type ReadingBatch = Static<typeof ReadingBatchSchema>;

// ---- gap marker -----------------------------------------------------------------------

export const GAP_REASONS = ['outbox-bytes', 'outbox-age', 'disk-full'] as const;

/** Readings from..to (inclusive) were dropped by the gateway and will never arrive. */
export const GapSchema = Type.Object(
  {
    v: Version,
    gw: GatewayId,
    from: Seq,
    to: Seq,
    count: Type.Integer({ minimum: 1 }),
    reason: Type.Union(GAP_REASONS.map((r) => Type.Literal(r))),
    oldestT: Type.Optional(Timestamp),
    newestT: Type.Optional(Timestamp),
    t: Timestamp,
  },
  strict,
);
export type Gap = Static<typeof GapSchema>;

// ---- state (retained, with the gateway's Last Will) -----------------------------------

export const StateSchema = Type.Object(
  {
    v: Version,
    online: Type.Boolean(),
    t: Type.Optional(Timestamp),
    agent: Type.Optional(Type.String({ maxLength: 64 })),
    configVersion: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
  },
  strict,
);
export type State = Static<typeof StateSchema>;

// ---- health ---------------------------------------------------------------------------

const MeterHealth = Type.Object(
  {
    id: MeterId,
    lastOkT: Type.Union([Timestamp, Type.Null()]),
    lastErrorT: Type.Union([Timestamp, Type.Null()]),
    lastError: Type.Union([Type.String({ maxLength: 200 }), Type.Null()]),
    okRate: Type.Number({ minimum: 0, maximum: 1, description: 'share of successful polls, last hour' }),
    backoff: Type.Boolean({ description: 'polled less often because silent' }),
  },
  strict,
);

export const HealthSchema = Type.Object(
  {
    v: Version,
    t: Timestamp,
    uptimeS: Type.Number({ minimum: 0 }),
    versions: Type.Object({ agent: Type.String(), protocol: Type.Integer(), node: Type.String() }, strict),
    configVersion: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    meters: Type.Array(MeterHealth, { maxItems: 1024 }),
    queueOverruns: Type.Integer({ minimum: 0 }),
    outbox: Type.Object(
      {
        depth: Type.Integer({ minimum: 0 }),
        bytes: Type.Integer({ minimum: 0 }),
        oldestT: Type.Union([Timestamp, Type.Null()]),
        dropped: Type.Integer({ minimum: 0 }),
        lastSeq: Type.Union([Seq, Type.Null()]),
      },
      strict,
    ),
    clockOffsetMs: Type.Union([Type.Number(), Type.Null()]),
    rssBytes: Type.Integer({ minimum: 0 }),
    diskFreeBytes: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  },
  strict,
);
export type Health = Static<typeof HealthSchema>;

// ---- configuration (retained, collector → gateway) -----------------------------------

const Parity = Type.Union([Type.Literal('none'), Type.Literal('even'), Type.Literal('odd')]);
const busCommon = {
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' }),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 20, maximum: 30000, description: 'per request, default 1000' })),
  retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 5, description: 'default 1' })),
  interFrameDelayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, description: 'silence between requests, default 0' })),
  gapFill: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'unused registers a merged read may span, default 10' })),
  meters: Type.Array(
    Type.Object(
      {
        id: MeterId,
        unit: Type.Integer({ minimum: 0, maximum: 247 }),
        profile: Type.String({ minLength: 1, maxLength: 64 }),
        facility: Type.Optional(Type.String({ maxLength: 64 })),
        pt: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
        ct: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
      },
      strict,
    ),
    { maxItems: 247 },
  ),
};
const TcpBus = Type.Object({ kind: Type.Literal('tcp'), host: Type.String({ minLength: 1 }), port: Type.Integer({ minimum: 1, maximum: 65535 }), ...busCommon }, strict);
const RtuOverTcpBus = Type.Object(
  { kind: Type.Literal('rtu-over-tcp'), host: Type.String({ minLength: 1 }), port: Type.Integer({ minimum: 1, maximum: 65535 }), ...busCommon },
  strict,
);
const RtuBus = Type.Object(
  {
    kind: Type.Literal('rtu'),
    path: Type.String({ minLength: 1 }),
    baud: Type.Integer({ minimum: 300, maximum: 921600 }),
    parity: Type.Optional(Parity),
    dataBits: Type.Optional(Type.Union([Type.Literal(7), Type.Literal(8)])),
    stopBits: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2)])),
    ...busCommon,
  },
  strict,
);
/** The bus variants by `kind`; validated by picking the variant first, so errors name real fields. */
export const BUS_SCHEMAS = { tcp: TcpBus, 'rtu-over-tcp': RtuOverTcpBus, rtu: RtuBus } as const;
export type TcpBus = Static<typeof TcpBus>;
export type RtuOverTcpBus = Static<typeof RtuOverTcpBus>;
export type RtuBus = Static<typeof RtuBus>;
export type Bus = TcpBus | RtuOverTcpBus | RtuBus;
export type MeterConfig = Bus['meters'][number];

/** What to poll: the part of an agent's configuration the collector owns. */
export const PollConfigSchema = Type.Object(
  {
    pollIntervalS: Type.Integer({ minimum: 1, maximum: 3600, description: 'aligned to the wall clock' }),
    buses: Type.Array(Type.Unknown(), { maxItems: 64 }),
  },
  strict,
);
export type PollConfig = { pollIntervalS: number; buses: Bus[] };

export const ConfigSchema = Type.Object({ v: Version, version: Type.Integer({ minimum: 1 }), poll: PollConfigSchema }, strict);
export type Config = { v: typeof SCHEMA_VERSION; version: number; poll: PollConfig };

export const CONFIG_ACK_STATUSES = ['applied', 'unchanged', 'rejected', 'rolled-back'] as const;
export const ConfigAckSchema = Type.Object(
  {
    v: Version,
    version: Type.Integer({ minimum: 1, description: 'the version this ack answers' }),
    status: Type.Union(CONFIG_ACK_STATUSES.map((s) => Type.Literal(s))),
    running: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'the version the agent runs now' }),
    errors: Type.Array(Type.String({ maxLength: 500 }), { maxItems: 100 }),
    t: Timestamp,
  },
  strict,
);
export type ConfigAck = Static<typeof ConfigAckSchema>;

// ---- commands --------------------------------------------------------------------------

export const COMMAND_NAMES = ['read', 'scan', 'republish-state', 'set-log-level', 'write'] as const;
export const CommandSchema = Type.Object(
  {
    v: Version,
    id: Type.String({ minLength: 1, maxLength: 64 }),
    name: Type.Union(COMMAND_NAMES.map((n) => Type.Literal(n))),
    args: Type.Record(Type.String(), Type.Unknown()),
    t: Timestamp,
  },
  strict,
);
export type Command = Static<typeof CommandSchema>;

export const CommandReplySchema = Type.Object(
  {
    v: Version,
    id: Type.String({ minLength: 1, maxLength: 64 }),
    ok: Type.Boolean(),
    result: Type.Optional(Type.Unknown()),
    error: Type.Optional(Type.String({ maxLength: 1000 })),
    t: Timestamp,
  },
  strict,
);
export type CommandReply = Static<typeof CommandReplySchema>;

// ---- application ack (collector → gateway) -------------------------------------------

/** Sequence ranges [from, to] (inclusive) that the collector has durably stored or quarantined. */
export const AckSchema = Type.Object(
  {
    v: Version,
    ranges: Type.Array(Type.Tuple([Seq, Seq]), { minItems: 1, maxItems: 10000 }),
    t: Timestamp,
  },
  strict,
);
export type Ack = Static<typeof AckSchema>;

/** Schema per topic kind (see topics.ts); data and backlog share the batch schema. */
export const MESSAGE_SCHEMAS = {
  data: ReadingBatchSchema,
  backlog: ReadingBatchSchema,
  gap: GapSchema,
  state: StateSchema,
  health: HealthSchema,
  config: ConfigSchema,
  configAck: ConfigAckSchema,
  command: CommandSchema,
  commandReply: CommandReplySchema,
  ack: AckSchema,
} as const satisfies Record<string, TSchema>;
