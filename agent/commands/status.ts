// `tandem agent status --config FILE`: what the running agent is doing, for a person at
// the gateway. Reads the outbox (read-only) and the status file the agent rewrites with
// every health report; it never talks to the agent, so it works when the agent is stuck.
import { requireString, type Command } from '../../lib/command.js';
import { loadAgentConfig } from '../config/load.js';
import { inspectOutbox, type OutboxSnapshot } from '../outbox/inspect.js';
import { readStatusFile, type AgentStatus } from '../health/status-file.js';
import { configOption } from './run.js';

/** A status file older than this many health intervals means the agent is not reporting. */
const STALE_INTERVALS = 2.5;

export const statusCommand: Command = {
  name: 'status',
  summary: 'Show what the running agent is doing: uplink, outbox, buses and meters.',
  options: { ...configOption, json: { type: 'boolean', description: 'Print one JSON object instead of text' } },
  async run(ctx) {
    const config = loadAgentConfig(requireString(ctx.values, 'config'));
    let outbox: OutboxSnapshot | null = null;
    try {
      outbox = inspectOutbox(config.outbox.path);
    } catch (error) {
      ctx.err(`tandem agent status: cannot read the outbox ${config.outbox.path}: ${(error as Error).message}`);
    }
    const status = readStatusFile(config.outbox.path);
    if (ctx.values.json) {
      ctx.out(JSON.stringify({ gatewayId: config.gatewayId, outbox, status }));
      return outbox ? 0 : 1;
    }
    const now = Date.now();
    ctx.out(`Gateway   ${config.gatewayId}   (config ${config.file})`);
    ctx.out(`Agent     ${agentState(status, config.uplink.healthIntervalS * 1000, now)}`);
    if (status && !status.stoppedAt) {
      const u = status.uplink;
      const offset = u.clockOffsetMs === null ? 'unknown' : `${u.clockOffsetMs > 0 ? '+' : ''}${u.clockOffsetMs} ms`;
      ctx.out(`Uplink    ${u.connected ? 'connected' : 'NOT CONNECTED'} to ${config.mqtt.url}; collector ${u.collectorOnline ? 'online' : 'offline'}; ${u.unacked} readings awaiting ack; clock offset ${offset}`);
      ctx.out(`Config    version ${status.health.configVersion ?? 'local file (no remote config yet)'}`);
    }
    if (outbox) {
      const oldest = outbox.oldestT === null ? '' : `, oldest from ${iso(outbox.oldestT)} (${ago(now - outbox.oldestT)} ago)`;
      ctx.out(`Outbox    ${outbox.depth} readings waiting${oldest}; ${mib(outbox.fileBytes)} on disk; last seq ${outbox.lastSeq ?? 'none'}`);
      ctx.out(`          dropped ${outbox.dropped} readings over its life${outbox.pendingGaps ? `, ${outbox.pendingGaps} gap report(s) not yet acknowledged` : ''}`);
    }
    if (status && !status.stoppedAt) {
      for (const bus of status.buses) {
        ctx.out(`Bus       ${bus.busId}: ${bus.connected ? 'connected' : 'NOT CONNECTED'}; queue ${bus.queueDepth}; overruns ${bus.queueOverruns}`);
      }
      for (const m of status.health.meters) {
        const last = m.lastOkT === null ? 'never read' : `last read ${ago(now - m.lastOkT)} ago`;
        const error = m.lastError && m.lastErrorT !== null && (m.lastOkT === null || m.lastErrorT > m.lastOkT) ? `; failing: ${m.lastError}` : '';
        ctx.out(`Meter     ${m.id}: ${last}; ${Math.round(m.okRate * 100)} % ok${m.backoff ? '; BACKED OFF (not answering)' : ''}${error}`);
      }
    }
    return outbox ? 0 : 1;
  },
};

function agentState(status: AgentStatus | null, intervalMs: number, now: number): string {
  if (!status) return 'no status file: the agent has not run with this config yet';
  if (status.stoppedAt) return `stopped cleanly ${ago(now - status.stoppedAt)} ago`;
  if (!alive(status.pid)) return `NOT RUNNING (pid ${status.pid} is gone; last report ${ago(now - status.writtenAt)} ago)`;
  const stale = now - status.writtenAt > intervalMs * STALE_INTERVALS ? ' — STALE: the agent has stopped reporting' : '';
  return `running, pid ${status.pid}, up ${ago(status.health.uptimeS * 1000)}, version ${status.health.versions.agent}; last report ${ago(now - status.writtenAt)} ago${stale}`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} days`;
}

function iso(t: number): string {
  return new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
