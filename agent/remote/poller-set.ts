// The running bus pollers, and the atomic swap to a new poll configuration: buses whose
// definition did not change keep running untouched; changed ones are started and must
// connect and answer within a bound before the swap is kept; otherwise every changed bus
// goes back to what it was (DESIGN.md: apply atomically, roll back if it cannot poll).
import type { Logger } from '../../lib/logger.js';
import type { Bus, PollConfig } from '../../protocol/index.js';
import { createPoller, type BusPoller, type BusStats, type PolledReading } from '../polling/index.js';
import { canonicalJson } from './canonical-json.js';

/** How often a starting bus is checked for its connection (ms). */
const CONNECT_CHECK_MS = 100;

export interface PollerSetOptions {
  onReading: (reading: PolledReading) => void;
  logger: Logger;
  allowWrites: boolean;
  /** How long a changed bus has to connect and get one meter to answer (ms). */
  checkMs: number;
}

interface Running {
  bus: Bus;
  pollIntervalS: number;
  key: string;
  poller: BusPoller;
}

export type ApplyResult = { ok: true } | { ok: false; errors: string[] };

export function describeBus(bus: Bus): string {
  return bus.kind === 'rtu' ? `serial ${bus.path} at ${bus.baud} baud` : `${bus.kind} ${bus.host}:${bus.port}`;
}

export class PollerSet {
  private running = new Map<string, Running>();

  constructor(private readonly options: PollerSetOptions) {}

  /** Starts every bus without a check: at boot, a bus that is down is reconnected by its poller. */
  async start(poll: PollConfig): Promise<void> {
    for (const bus of poll.buses) this.running.set(bus.id, this.create(bus, poll.pollIntervalS));
    await Promise.all([...this.running.values()].map((r) => r.poller.start()));
  }

  async apply(poll: PollConfig): Promise<ApplyResult> {
    const next = new Map(poll.buses.map((bus) => [bus.id, { bus, key: busKey(bus, poll.pollIntervalS) }]));
    const changed = [...next.values()].filter(({ bus, key }) => this.running.get(bus.id)?.key !== key);
    const leaving = [...this.running.values()].filter((r) => next.get(r.bus.id)?.key !== r.key);
    // A changed bus may use the same port or socket as the bus it replaces: stop those first.
    const resources = new Set(changed.map(({ bus }) => resource(bus)));
    const stoppedFirst = leaving.filter((r) => next.has(r.bus.id) || resources.has(resource(r.bus)));
    await Promise.all(stoppedFirst.map((r) => r.poller.stop()));

    const started = changed.map(({ bus }) => this.create(bus, poll.pollIntervalS));
    const errors = (await Promise.all(started.map((r) => this.check(r)))).flat();
    if (errors.length) {
      await Promise.all(started.map((r) => r.poller.stop()));
      const restored = stoppedFirst.map((r) => this.create(r.bus, r.pollIntervalS));
      for (const r of restored) this.running.set(r.bus.id, r);
      await Promise.all(restored.map((r) => r.poller.start()));
      return { ok: false, errors };
    }
    await Promise.all(leaving.filter((r) => !stoppedFirst.includes(r)).map((r) => r.poller.stop()));
    for (const r of leaving) this.running.delete(r.bus.id);
    for (const r of started) this.running.set(r.bus.id, r);
    return { ok: true };
  }

  stats(): BusStats[] {
    return [...this.running.values()].map((r) => r.poller.stats());
  }

  /** The poller that reads `meterId`, if any bus has it. */
  pollerOf(meterId: string): BusPoller | undefined {
    return [...this.running.values()].find((r) => r.bus.meters.some((m) => m.id === meterId))?.poller;
  }

  bus(busId: string): Bus | undefined {
    return this.running.get(busId)?.bus;
  }

  /** Stops one bus's poller so something else may use the bus alone; `resume` starts it again. */
  async pause(busId: string): Promise<{ bus: Bus; resume: () => Promise<void> }> {
    const paused = this.running.get(busId);
    if (!paused) throw new Error(`no bus '${busId}' in the running config`);
    await paused.poller.stop();
    return {
      bus: paused.bus,
      resume: async () => {
        const again = this.create(paused.bus, paused.pollIntervalS);
        this.running.set(busId, again);
        await again.poller.start();
      },
    };
  }

  async stop(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.poller.stop()));
    this.running.clear();
  }

  private create(bus: Bus, pollIntervalS: number): Running {
    const { onReading, logger, allowWrites } = this.options;
    return { bus, pollIntervalS, key: busKey(bus, pollIntervalS), poller: createPoller(bus, { pollIntervalS, onReading, logger, allowWrites }) };
  }

  /** Starts a new bus; its problems, or none when it connected and (if it has meters) one meter answered. */
  private async check(r: Running): Promise<string[]> {
    const what = `bus '${r.bus.id}' (${describeBus(r.bus)})`;
    const deadline = Date.now() + this.options.checkMs;
    const seconds = this.options.checkMs / 1000;
    await r.poller.start();
    while (!r.poller.stats().connected) {
      if (Date.now() > deadline) return [`${what}: could not connect within ${seconds} s`];
      await new Promise((resolve) => setTimeout(resolve, CONNECT_CHECK_MS));
    }
    if (r.bus.meters.length === 0) return [];
    const answered = Promise.any(r.bus.meters.map((m) => r.poller.readNow(m.id))).then(
      () => null,
      (error: AggregateError) => error.errors.map((e: Error) => e.message).join('; '),
    );
    const timeout = new Promise<string>((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now()), `no meter answered within ${seconds} s`).unref());
    const problem = await Promise.race([answered, timeout]);
    return problem === null ? [] : [`${what}: ${problem}`];
  }
}

function busKey(bus: Bus, pollIntervalS: number): string {
  return canonicalJson({ bus, pollIntervalS });
}

/** The physical port or endpoint a bus holds. */
function resource(bus: Bus): string {
  return bus.kind === 'rtu' ? `serial:${bus.path}` : `tcp:${bus.host}:${bus.port}`;
}
