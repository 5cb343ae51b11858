// Reads and validates the agent's configuration file at start: a wrong file fails now,
// naming the file and every bad field, not at 3 a.m. (STYLE.md "Fail at start").
import { readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { formatIssues, pollConfigIssues, schemaIssues, type Issue } from '../../protocol/index.js';
import { AgentConfigFileSchema, DEFAULTS, type AgentConfig, type AgentConfigFile } from './schema.js';
import { configErrors } from './errors.js';

export function loadAgentConfig(path: string): AgentConfig {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw configErrors.error('TANDEM_AGENT_CONFIG_UNREADABLE', `${file}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    // YAML 1.2 is a superset of JSON, so one parser reads both formats.
    raw = parse(text);
  } catch (error) {
    throw invalid(file, [{ path: '', message: `not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}` }]);
  }
  const issues = schemaIssues(AgentConfigFileSchema, raw);
  if (issues.length === 0) issues.push(...pollConfigIssues((raw as AgentConfigFile).poll, 'poll'));
  if (issues.length) throw invalid(file, issues);
  return withDefaults(file, raw as AgentConfigFile);
}

function invalid(file: string, issues: Issue[]) {
  return configErrors.error('TANDEM_AGENT_CONFIG_INVALID', `${file}: ${formatIssues(issues)}`, issues);
}

function withDefaults(file: string, raw: AgentConfigFile): AgentConfig {
  // Relative paths are relative to the file, so a config dir can be moved as a whole.
  const here = (p: string | undefined) => (p === undefined ? undefined : resolve(dirname(file), p));
  const { ca, cert, key, ...mqtt } = raw.mqtt;
  return {
    file,
    gatewayId: raw.gatewayId,
    mqtt: { ...mqtt, ...(ca ? { ca: here(ca) } : {}), ...(cert ? { cert: here(cert) } : {}), ...(key ? { key: here(key) } : {}) },
    poll: raw.poll as AgentConfig['poll'],
    outbox: {
      path: here(raw.outbox.path)!,
      maxBytes: raw.outbox.maxBytes ?? DEFAULTS.outboxMaxBytes,
      maxAgeDays: raw.outbox.maxAgeDays ?? DEFAULTS.outboxMaxAgeDays,
      minFreeDiskBytes: raw.outbox.minFreeDiskBytes ?? DEFAULTS.outboxMinFreeDiskBytes,
    },
    uplink: {
      backlogReadingsPerS: raw.uplink?.backlogReadingsPerS ?? DEFAULTS.backlogReadingsPerS,
      ackTimeoutS: raw.uplink?.ackTimeoutS ?? DEFAULTS.ackTimeoutS,
      healthIntervalS: raw.uplink?.healthIntervalS ?? DEFAULTS.healthIntervalS,
      configCheckS: raw.uplink?.configCheckS ?? DEFAULTS.configCheckS,
    },
    allowWrites: raw.allowWrites ?? false,
    logLevel: raw.logLevel ?? 'info',
  };
}

/** Where the last good remote configuration is kept: beside the local file. */
export function remoteConfigPath(configFile: string): string {
  return join(dirname(configFile), `${basename(configFile, extname(configFile))}.remote.json`);
}
