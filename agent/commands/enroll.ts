// `tandem agent enroll --collector URL --token T [--out FILE]`: trades the operator's
// one-time token for this gateway's id and MQTT credentials (POST /api/v1/enroll, see
// collector/README.md) and writes them into the agent's configuration file, readable
// by its owner only (0600: it holds the password). An existing file keeps everything else.
import { existsSync, readFileSync } from 'node:fs';
import { parseDocument, stringify } from 'yaml';
import { requireString, UsageError, type Command } from '../../lib/command.js';
import { defineErrors } from '../../lib/errors.js';
import { writeFileAtomic } from '../config/atomic-write.js';
import { loadAgentConfig } from '../config/load.js';

export const enrollErrors = defineErrors({
  TANDEM_AGENT_ENROLL_FAILED: 'the collector refused the enrolment or could not be reached',
});

const OWNER_ONLY = 0o600;
const DEFAULT_OUT = '/etc/tandem/agent.yaml';
const DEFAULT_OUTBOX = '/var/lib/tandem/outbox.db';
const REQUEST_TIMEOUT_MS = 15_000;

interface Enrolment {
  gatewayId: string;
  mqttUrl: string;
  username: string;
  password: string;
}

export const enrollCommand: Command = {
  name: 'enroll',
  summary: "Enrol this gateway with the collector and write the agent's config with its credentials.",
  options: {
    collector: { type: 'string', description: 'Collector base URL, e.g. https://tandem.example.org', valueName: 'URL' },
    token: { type: 'string', description: 'One-time enrolment token from the operator', valueName: 'TOKEN' },
    out: { type: 'string', description: 'Config file to write or update', valueName: 'FILE', default: DEFAULT_OUT },
    outbox: { type: 'string', description: 'Outbox file for a new config', valueName: 'FILE', default: DEFAULT_OUTBOX },
  },
  async run(ctx) {
    const collector = requireString(ctx.values, 'collector');
    const token = requireString(ctx.values, 'token');
    const out = requireString(ctx.values, 'out');
    let base: URL;
    try {
      base = new URL(collector);
    } catch {
      throw new UsageError(`--collector must be a URL such as https://collector.example.org, got '${collector}'.`);
    }
    const enrolment = await enrol(new URL('api/v1/enroll', base.href.endsWith('/') ? base : `${base.href}/`), token);
    writeFileAtomic(out, configText(out, enrolment, requireString(ctx.values, 'outbox')), OWNER_ONLY);
    loadAgentConfig(out); // what was written must start
    ctx.out(`Enrolled as gateway '${enrolment.gatewayId}'; wrote ${out} (mode 600). Start the agent with: tandem agent --config ${out}`);
    return 0;
  },
};

async function enrol(url: URL, token: string): Promise<Enrolment> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw enrollErrors.error('TANDEM_AGENT_ENROLL_FAILED', `cannot reach ${url.origin}: ${(error as Error).cause ?? (error as Error).message}`);
  }
  const body = (await response.json().catch(() => null)) as (Partial<Enrolment> & { error?: { code?: string; message?: string } }) | null;
  if (!response.ok) {
    const reason = body?.error ? `${body.error.code ?? ''} ${body.error.message ?? ''}`.trim() : `HTTP ${response.status}`;
    throw enrollErrors.error('TANDEM_AGENT_ENROLL_FAILED', `${url.href} refused the enrolment: ${reason}`);
  }
  const fields = ['gatewayId', 'mqttUrl', 'username', 'password'] as const;
  const missing = fields.filter((f) => typeof body?.[f] !== 'string');
  if (missing.length) throw enrollErrors.error('TANDEM_AGENT_ENROLL_FAILED', `${url.href} answered without ${missing.join(', ')}`);
  return body as Enrolment;
}

/** A new config, or the existing file with only the gateway id and MQTT credentials replaced (comments kept). */
function configText(out: string, e: Enrolment, outboxPath: string): string {
  const mqtt = { url: e.mqttUrl, username: e.username, password: e.password };
  if (existsSync(out)) {
    const doc = parseDocument(readFileSync(out, 'utf8'));
    doc.set('gatewayId', e.gatewayId);
    for (const [key, value] of Object.entries(mqtt)) doc.setIn(['mqtt', key], value);
    return doc.toString();
  }
  const header = `# Tandem agent configuration, written by \`tandem agent enroll\`. Every option: agent/README.md.\n# The collector's retained configuration supplies the buses and meters.\n`;
  return header + stringify({ gatewayId: e.gatewayId, mqtt, poll: { pollIntervalS: 15, buses: [] }, outbox: { path: outboxPath } });
}
