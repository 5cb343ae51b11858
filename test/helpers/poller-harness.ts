// Runs a BusPoller in a test: collects its readings and its log lines, stops it at teardown.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createPoller, type BusPoller, type PolledReading } from '../../agent/polling/index.js';
import type { Bus } from '../../protocol/index.js';

const CHECK_EVERY_MS = 20;

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface PollerHarness {
  poller: BusPoller;
  readings: PolledReading[];
  logs: LogLine[];
  of(meterId: string): PolledReading[];
  logged(msg: string | RegExp): LogLine[];
}

export async function startPoller(t: { teardown(fn: () => Promise<void>): void }, bus: Bus, pollIntervalS: number, extra: { allowWrites?: boolean } = {}): Promise<PollerHarness> {
  const readings: PolledReading[] = [];
  const logs: LogLine[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(JSON.parse(String(chunk)) as LogLine);
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const poller = createPoller(bus, { pollIntervalS, logger, onReading: (r) => readings.push(r), ...extra });
  t.teardown(() => poller.stop());
  await poller.start();
  return {
    poller,
    readings,
    logs,
    of: (id) => readings.filter((r) => r.meter === id),
    logged: (msg) => logs.filter((l) => (typeof msg === 'string' ? l.msg === msg : msg.test(l.msg))),
  };
}

/** Waits until `check` holds, re-checking every few ms; fails naming `what` after `timeoutMs`. */
export async function eventually(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, CHECK_EVERY_MS));
  }
}

/** A bus config with test defaults. */
export function testBus(target: Pick<Bus, 'kind'> & Record<string, unknown>, meters: { unit: number; profile: string }[], overrides: Partial<Bus> = {}): Bus {
  return {
    id: 'bus-1',
    timeoutMs: 200,
    retries: 1,
    ...target,
    meters: meters.map((m) => ({ id: `m${m.unit}`, ...m })),
    ...overrides,
  } as Bus;
}
