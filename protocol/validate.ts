// Runtime validation of every message: returns all problems, each with the path of the
// field it concerns, so a gateway developer can fix a message in one round.
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import {
  BUS_SCHEMAS,
  MAX_TIMESTAMP_MS,
  MESSAGE_SCHEMAS,
  MIN_TIMESTAMP_MS,
  SCHEMA_VERSION,
  type Ack,
  type Command,
  type CommandReply,
  type Config,
  type ConfigAck,
  type Gap,
  type Health,
  type ReadingBatch,
  type State,
} from './messages.js';
import { MAX_SEQ, seqProblem } from './sequence.js';
import type { TopicKind } from './topics.js';
import { PROFILE_IDS } from './profiles/index.js';
import { decodePayload } from './payload.js';

export interface Issue {
  /** Field path, e.g. `t[3]` or `poll.buses[0].meters[2].unit`; '' for the message itself. */
  path: string;
  message: string;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: Issue[] };

export interface MessageTypes {
  data: ReadingBatch;
  backlog: ReadingBatch;
  gap: Gap;
  state: State;
  health: Health;
  config: Config;
  configAck: ConfigAck;
  command: Command;
  commandReply: CommandReply;
  ack: Ack;
}

/** Enough to fix a message; a flood of errors from one bad array says nothing more. */
const MAX_ISSUES = 50;

const compiled = new Map<TSchema, TypeCheck<TSchema>>();
function checker(schema: TSchema): TypeCheck<TSchema> {
  let check = compiled.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  return check;
}

/** '/poll/buses/0/host' → 'poll.buses[0].host' */
function pointerToPath(pointer: string, prefix = ''): string {
  let path = prefix;
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    path += /^\d+$/.test(key) ? `[${key}]` : path === '' ? key : `.${key}`;
  }
  return path;
}

/** Every way `value` breaks `schema`, each with its field path (prefixed by `prefix`). */
export function schemaIssues(schema: TSchema, value: unknown, prefix = ''): Issue[] {
  const check = checker(schema);
  if (check.Check(value)) return [];
  const issues: Issue[] = [];
  for (const error of check.Errors(value)) {
    issues.push({ path: pointerToPath(error.path, prefix), message: error.message });
    if (issues.length >= MAX_ISSUES) break;
  }
  return issues;
}

export function validateMessage<K extends TopicKind>(kind: K, value: unknown): Validation<MessageTypes[K]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, errors: [{ path: '', message: 'must be a JSON object' }] };
  }
  const version = (value as { v?: unknown }).v;
  if (version === undefined) return { ok: false, errors: [{ path: 'v', message: 'is required (the schema version)' }] };
  if (version !== SCHEMA_VERSION) {
    return {
      ok: false,
      errors: [{ path: 'v', message: `unknown schema version ${JSON.stringify(version)}; this side speaks ${SCHEMA_VERSION}` }],
    };
  }
  const issues = schemaIssues(MESSAGE_SCHEMAS[kind], value);
  if (issues.length === 0) issues.push(...semanticIssues(kind, value));
  return issues.length ? { ok: false, errors: issues.slice(0, MAX_ISSUES) } : { ok: true, value: value as MessageTypes[K] };
}

/** Rules JSON Schema cannot say: cross-field lengths, 64-bit ranges, reconstructed times. */
function semanticIssues(kind: TopicKind, value: object): Issue[] {
  switch (kind) {
    case 'data':
    case 'backlog':
      return batchIssues(value as ReadingBatch);
    case 'gap': {
      const gap = value as Gap;
      return [...seqIssues(gap.from, 'from'), ...seqIssues(gap.to, 'to'), ...orderedRange(gap.from, gap.to, '')];
    }
    case 'ack':
      return (value as Ack).ranges.flatMap(([from, to], i) => [
        ...seqIssues(from, `ranges[${i}][0]`),
        ...seqIssues(to, `ranges[${i}][1]`),
        ...orderedRange(from, to, `ranges[${i}]`),
      ]);
    case 'config':
      return pollConfigIssues((value as Config).poll, 'poll');
    default:
      return [];
  }
}

function seqIssues(seq: string, path: string): Issue[] {
  const problem = seqProblem(seq);
  return problem ? [{ path, message: problem }] : [];
}

function orderedRange(from: string, to: string, path: string): Issue[] {
  if (seqProblem(from) || seqProblem(to)) return [];
  return BigInt(from) > BigInt(to) ? [{ path, message: `range starts after it ends (${from} > ${to})` }] : [];
}

function batchIssues(batch: ReadingBatch): Issue[] {
  const issues = seqIssues(batch.seq, 'seq');
  const rows = batch.ds.length;
  for (const field of ['t', 'm'] as const) {
    if (batch[field].length !== rows) issues.push({ path: field, message: `has ${batch[field].length} entries, ds has ${rows}` });
  }
  for (const [name, column] of Object.entries(batch.q)) {
    if (column && column.length !== rows) issues.push({ path: `q.${name}`, message: `has ${column.length} entries, ds has ${rows}` });
  }
  if (issues.length) return issues;

  if (batch.ds[0] !== 0) issues.push({ path: 'ds[0]', message: 'must be 0 (the first row has sequence number seq)' });
  let seq = BigInt(batch.seq);
  let t = 0;
  for (let i = 0; i < rows; i++) {
    if (i > 0 && batch.ds[i]! < 1) issues.push({ path: `ds[${i}]`, message: 'must be at least 1: sequence numbers increase within a batch' });
    seq += BigInt(batch.ds[i]!);
    t = i === 0 ? batch.t[0]! : t + batch.t[i]!;
    if (!Number.isSafeInteger(t) || t < MIN_TIMESTAMP_MS || t > MAX_TIMESTAMP_MS) {
      issues.push({ path: `t[${i}]`, message: `row ${i} is read at ${t}, not a valid instant (epoch ms between 2000 and 2100)` });
    }
    if (batch.m[i]! >= batch.meters.length) {
      issues.push({ path: `m[${i}]`, message: `meter index ${batch.m[i]} is past the ${batch.meters.length} entries of meters` });
    }
    if (issues.length >= MAX_ISSUES) return issues;
  }
  if (seq > MAX_SEQ) issues.push({ path: 'ds', message: `the last row's sequence number ${seq} exceeds 2^63-1` });
  for (const [i, [row]] of (batch.bad ?? []).entries()) {
    if (row >= rows) issues.push({ path: `bad[${i}][0]`, message: `row ${row} does not exist (batch has ${rows} rows)` });
  }
  return issues;
}

/** Checks the poll part of a configuration; also used by the agent for its local file. */
export function pollConfigIssues(poll: { buses: unknown[] }, prefix: string): Issue[] {
  const issues: Issue[] = [];
  const busIds = new Set<string>();
  const meterIds = new Set<string>();
  poll.buses.forEach((bus, b) => {
    const path = `${prefix}.buses[${b}]`;
    const kind = (bus as { kind?: unknown } | null)?.kind;
    const schema = typeof kind === 'string' ? BUS_SCHEMAS[kind as keyof typeof BUS_SCHEMAS] : undefined;
    if (!schema) {
      issues.push({ path: `${path}.kind`, message: `must be one of ${Object.keys(BUS_SCHEMAS).join(', ')}, got ${JSON.stringify(kind)}` });
      return;
    }
    const busIssues = schemaIssues(schema, bus, path);
    issues.push(...busIssues);
    if (busIssues.length) return;
    const typed = bus as { id: string; meters: { id: string; unit: number; profile: string }[] };
    if (busIds.has(typed.id)) issues.push({ path: `${path}.id`, message: `bus id '${typed.id}' is used twice` });
    busIds.add(typed.id);
    const units = new Set<number>();
    typed.meters.forEach((meter, m) => {
      const meterPath = `${path}.meters[${m}]`;
      if (meterIds.has(meter.id)) issues.push({ path: `${meterPath}.id`, message: `meter id '${meter.id}' is used twice` });
      meterIds.add(meter.id);
      if (units.has(meter.unit)) issues.push({ path: `${meterPath}.unit`, message: `unit ${meter.unit} is used twice on bus '${typed.id}'` });
      units.add(meter.unit);
      if (!PROFILE_IDS.includes(meter.profile)) {
        issues.push({ path: `${meterPath}.profile`, message: `unknown profile '${meter.profile}' (known: ${PROFILE_IDS.join(', ')})` });
      }
    });
  });
  return issues;
}

/** One line per issue, for logs and error messages. */
export function formatIssues(issues: Issue[]): string {
  return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
}

/** Payload bytes → a validated message of `kind`, or every reason it is not one. */
export function parseMessage<K extends TopicKind>(kind: K, payload: Uint8Array): Validation<MessageTypes[K]> {
  const decoded = decodePayload(payload);
  return decoded.ok ? validateMessage(kind, decoded.value) : decoded;
}
