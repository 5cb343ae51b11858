// One scheduler per physical bus (DESIGN.md polling principles): ticks aligned to the wall
// clock put each due meter in a queue; one job runs at a time, so one request is in flight.
// The queue holds at most one cycle: a cycle that comes due while the last one still runs is
// counted as an overrun and starts when that one ends; further ticks meanwhile are only counted. A lost port or socket is reconnected
// with back-off; a silent meter is backed off on its own (meter-state.ts).
import type { Logger } from '../../lib/logger.js';
import { getProfile } from '../../protocol/index.js';
import { createTransport, type Transport } from '../modbus/index.js';
import { pollingErrors } from './errors.js';
import { DEFAULT_GAP_FILL, DEFAULT_RETRIES, MeterPlan, isBusFailure, readMeter } from './meter-reader.js';
import { MeterState } from './meter-state.js';
import type { Bus, BusPoller, BusStats, PolledReading, PollerOptions } from './types.js';

/** Reconnect back-off for a failed port or socket: 0.5 s doubling to 30 s. */
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;
/** On-demand reads and writes waiting at once, beside one cycle's polls. */
const MAX_ON_DEMAND = 8;
/** An overrunning bus warns once, then at most this often (with the running count). */
const OVERRUN_LOG_EVERY_MS = 60_000;

interface PolledMeter {
  plan: MeterPlan;
  state: MeterState;
}

type Job =
  | { kind: 'poll'; meter: PolledMeter }
  | { kind: 'now'; meter: PolledMeter; resolve: (r: PolledReading) => void; reject: (e: Error) => void }
  | { kind: 'write'; meter: PolledMeter; address: number; values: number[]; resolve: () => void; reject: (e: Error) => void };

export function createPoller(bus: Bus, options: PollerOptions): BusPoller {
  return new Poller(bus, options);
}

class Poller implements BusPoller {
  private readonly transport: Transport;
  private readonly meters = new Map<string, PolledMeter>();
  private readonly now: () => number;
  private readonly intervalMs: number;
  private readonly log: Logger;
  private queue: Job[] = [];
  private overruns = 0;
  private overrunLoggedT = -Infinity;
  /** the tick of a cycle that came due while the one before still ran */
  private lateCycleT: number | undefined;
  private running = false;
  private pumping: Promise<void> | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectAttempts = 0;

  constructor(
    private readonly bus: Bus,
    private readonly options: PollerOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.intervalMs = options.pollIntervalS * 1000;
    this.log = options.logger.child({ bus: bus.id });
    for (const meter of bus.meters) {
      const plan = new MeterPlan(meter, getProfile(meter.profile), bus.gapFill ?? DEFAULT_GAP_FILL);
      this.meters.set(meter.id, { plan, state: new MeterState(meter.id, this.intervalMs) });
    }
    this.transport = createTransport(bus, { timeoutMs: bus.timeoutMs, interFrameDelayMs: bus.interFrameDelayMs });
    this.transport.on('disconnect', (error) => this.lost(error));
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.connect();
    this.scheduleTick(this.now());
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.tickTimer);
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.dropQueue(pollingErrors.error('TANDEM_POLL_STOPPED', `bus ${this.bus.id}: stopped`));
    await this.pumping;
    await this.transport.close();
  }

  stats(): BusStats {
    return {
      busId: this.bus.id,
      connected: this.transport.connected,
      queueOverruns: this.overruns,
      queueDepth: this.queue.length,
      meters: [...this.meters.values()].map((m) => m.state.stats()),
    };
  }

  readNow(meterId: string): Promise<PolledReading> {
    return new Promise((resolve, reject) => this.onDemand({ kind: 'now', meter: this.meter(meterId), resolve, reject }));
  }

  write(meterId: string, address: number, values: number[]): Promise<void> {
    if (!this.options.allowWrites) return Promise.reject(pollingErrors.error('TANDEM_POLL_WRITES_DISABLED', `bus ${this.bus.id}: writing to meter registers is not allowed by the local config`));
    return new Promise((resolve, reject) => this.onDemand({ kind: 'write', meter: this.meter(meterId), address, values, resolve, reject }));
  }

  private meter(id: string): PolledMeter {
    const meter = this.meters.get(id);
    if (!meter) throw pollingErrors.error('TANDEM_POLL_UNKNOWN_METER', `bus ${this.bus.id} has no meter '${id}' (it has: ${[...this.meters.keys()].join(', ')})`);
    return meter;
  }

  private onDemand(job: Exclude<Job, { kind: 'poll' }>): void {
    if (!this.transport.connected) return job.reject(pollingErrors.error('TANDEM_POLL_NOT_CONNECTED', `bus ${this.bus.id} (${this.transport.description}) is not connected`));
    if (this.queue.filter((j) => j.kind !== 'poll').length >= MAX_ON_DEMAND) return job.reject(pollingErrors.error('TANDEM_POLL_BUSY', `bus ${this.bus.id}: ${MAX_ON_DEMAND} requests already waiting`));
    // Ahead of the polls, behind earlier on-demand jobs.
    const at = this.queue.findIndex((j) => j.kind === 'poll');
    this.queue.splice(at === -1 ? this.queue.length : at, 0, job);
    this.pump();
  }

  // ---- ticks --------------------------------------------------------------------------

  private scheduleTick(after: number): void {
    if (!this.running) return;
    const t = (Math.floor(after / this.intervalMs) + 1) * this.intervalMs;
    this.tickTimer = setTimeout(() => {
      this.tick(t);
      // From the tick itself, so an early timer cannot run the same tick twice.
      this.scheduleTick(Math.max(t, this.now()));
    }, t - this.now());
  }

  private tick(t: number): void {
    // The cycle before has not finished: count the overrun and run this cycle as soon as that
    // one ends. Only one late cycle waits (later ticks meanwhile are only counted), so the
    // queue stays bounded, the line stays busy, and every meter of a cycle is read together.
    if (this.queue.some((job) => job.kind === 'poll')) {
      this.lateCycleT ??= t;
      return this.overran(t);
    }
    for (const meter of this.meters.values()) {
      if (!meter.state.isDue(t)) continue;
      if (this.transport.connected) this.queue.push({ kind: 'poll', meter });
      else meter.state.recordError(t, `bus not connected (${this.transport.description})`, false);
    }
    this.pump();
  }

  private overran(t: number): void {
    this.overruns += 1;
    if (t - this.overrunLoggedT < OVERRUN_LOG_EVERY_MS) return;
    this.overrunLoggedT = t;
    this.log.warn({ queueOverruns: this.overruns, queueDepth: this.queue.length }, 'poll cycle overran: the bus cannot read every meter within the interval');
  }

  // ---- the one job in flight ------------------------------------------------------------

  private pump(): void {
    if (this.pumping) return;
    this.pumping = (async () => {
      while (this.running && this.transport.connected && this.queue.length > 0) {
        await this.run(this.queue.shift()!);
        if (this.lateCycleT !== undefined && !this.queue.some((job) => job.kind === 'poll')) {
          const t = this.lateCycleT;
          this.lateCycleT = undefined;
          this.tick(t);
        }
      }
    })().finally(() => (this.pumping = undefined));
  }

  private async run(job: Job): Promise<void> {
    const { plan, state } = job.meter;
    try {
      if (job.kind === 'write') {
        await this.transport.writeRegisters(plan.meter.unit, job.address, job.values);
        return job.resolve();
      }
      // Retries are for a lost frame of a meter that answers; one already silent gets one try.
      const retries = state.failures > 0 ? 0 : (this.bus.retries ?? DEFAULT_RETRIES);
      const outcome = await readMeter(this.transport, plan, retries, this.now);
      for (const q of outcome.newlyUnsupported) this.log.warn({ meter: plan.meter.id, quantity: q, point: plan.profile.points[q] }, 'register unsupported by the meter (illegal data address): marked and skipped from now on');
      if (job.kind === 'now') return outcome.reading ? job.resolve(outcome.reading) : job.reject(outcome.error!);
      if (outcome.reading) this.delivered(job.meter, outcome.reading);
      else this.missed(job.meter, outcome.error!);
    } catch (error) {
      if (job.kind !== 'poll') job.reject(error as Error);
      else state.recordError(this.now(), (error as Error).message, false);
      if (isBusFailure(error)) this.lost(error as Error);
      else this.log.error({ meter: plan.meter.id, err: (error as Error).message }, 'poll failed unexpectedly');
    }
  }

  private delivered({ plan, state }: PolledMeter, reading: PolledReading): void {
    if (state.failures > 0) this.log.info({ meter: plan.meter.id, unit: plan.meter.unit }, 'meter answering again');
    state.recordOk(reading.t);
    this.log.debug({ reading }, 'reading');
    try {
      this.options.onReading(reading);
    } catch (error) {
      this.log.error({ meter: plan.meter.id, err: (error as Error).message }, 'onReading threw; the reading is lost');
    }
  }

  private missed({ plan, state }: PolledMeter, error: Error): void {
    state.recordError(this.now(), error.message);
    if (state.failures === 1) this.log.warn({ meter: plan.meter.id, unit: plan.meter.unit, err: error.message }, 'meter not answering: backing off');
  }

  // ---- connection -------------------------------------------------------------------------

  private async connect(): Promise<void> {
    try {
      await this.transport.connect();
      // stop() may have come while the port was opening.
      if (!this.running) return await this.transport.close();
      this.reconnectAttempts = 0;
      this.log.info({ transport: this.transport.description }, 'bus connected');
      this.pump();
    } catch (error) {
      if (this.reconnectAttempts === 0) this.log.warn({ err: (error as Error).message }, 'bus cannot connect: retrying with back-off');
      this.scheduleReconnect();
    }
  }

  private lost(error: Error): void {
    if (this.running && !this.reconnectTimer) this.log.warn({ err: error.message }, 'bus connection lost: reconnecting');
    this.dropQueue(error);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (!this.running || this.reconnectTimer || this.transport.connected) return;
    const delay = Math.min(RECONNECT_MIN_MS * 2 ** this.reconnectAttempts, RECONNECT_MAX_MS);
    this.reconnectAttempts += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.running) void this.connect();
    }, delay);
  }

  /** Polls waiting for a dead bus are dropped (their meters were not read: no reading); on-demand callers are told. */
  private dropQueue(error: Error): void {
    for (const job of this.queue) if (job.kind !== 'poll') job.reject(error);
    this.queue = [];
    this.lateCycleT = undefined;
  }
}
