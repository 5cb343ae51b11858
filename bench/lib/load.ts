// Simulated gateways publishing reading batches over MQTT (mqtt.js, no Modbus): the load for
// the collector benchmarks. Each gateway keeps a window of batches in flight and counts one
// done when the collector's application Ack covers it (stored), or — against a bare broker —
// when the PUBACK arrives. Delays are publish → done, per batch.
import mqtt, { type MqttClient } from 'mqtt';
import { decodeBatch, decodePayload, encodeBatch, encodePayload, formatSeq, parseSeq, toSteps, topicFor, type Ack, type Reading, type ReadingBatch } from '../../protocol/index.js';
import { GATEWAY_PASSWORD, gatewayId, meterId } from './collector-process.js';

/** Event time between two polls of one meter (ms), as the agent's default. */
export const POLL_MS = 15_000;
/** A busy collector can take long to answer CONNECT; mqtt.js gives up after 30 s by default. */
export const CONNECT_TIMEOUT_MS = 120_000;

export interface LoadOptions {
  url: string;
  gateways: number;
  metersPerGateway: number;
  /** Readings per batch (a multiple of metersPerGateway keeps instants whole). */
  batchReadings: number;
  /** Batches per gateway published and not yet done. */
  window: number;
  /** 'ack': done on the collector's Ack (stored); 'puback': done on the broker's PUBACK. */
  doneOn: 'ack' | 'puback';
  /** Event time of the first instant (ms); instants advance by POLL_MS. Ignored when `live`. */
  startT: number;
  /** Live data: every batch is one poll instant of every meter, stamped now (batchReadings = metersPerGateway). */
  live?: boolean;
  /** Readings per second over all gateways at most (open loop); absent: as fast as done allows. */
  ratePerS?: number;
  /** First gateway index (several loads can share one collector). */
  firstGateway?: number;
  /** Topic kind the batches go on (default backlog: event time runs ahead of the clock). */
  topic?: 'data' | 'backlog';
}

export interface LoadGateway {
  id: string;
  client: MqttClient;
}

interface Sent {
  firstSeq: bigint;
  rows: number;
  at: number;
}

/** A batch of readings with values that drift like a loaded feeder; rows meter by meter per instant. */
export function templateBatch(gw: string, meters: number, rows: number, t0: number, treatmentW?: number): ReadingBatch {
  const readings: Reading[] = [];
  const energyKWh = new Array<number>(meters).fill(1000);
  for (let r = 0; r < rows; r++) {
    const m = r % meters;
    const instant = Math.floor(r / meters);
    const treatment = m >= meters / 2;
    const p = treatment && treatmentW !== undefined ? treatmentW : (treatment ? 30_000 : 80_000) + ((instant * 37 + m * 11) % 500);
    readings.push({
      seq: BigInt(r + 1),
      meter: meterId(m),
      t: t0 + instant * POLL_MS,
      values: { u1: 230.1, u2: 229.8, u3: 230.4, i1: p / 690, i2: p / 690, i3: p / 690, p, pf: 0.92, f: 50, ei: energyKWh[m]! },
    });
    energyKWh[m]! += (p * POLL_MS) / 3_600_000_000;
  }
  return encodeBatch(gw, readings);
}

/**
 * How far each meter's energy counter moves (in steps of the wire column) from one batch
 * built from `batch` to the next: the energy its power draws over the batch's polls.
 */
export function energyGrowthSteps(batch: ReadingBatch, meters: number): number[] {
  const kWh = new Array<number>(meters).fill(0);
  decodeBatch(batch).forEach((reading, row) => (kWh[row % meters]! += ((reading.values.p ?? 0) * POLL_MS) / 3_600_000_000));
  return kWh.map((e) => toSteps('ei', e));
}

export class Load {
  readonly delaysMs: number[] = [];
  done = 0;
  private readonly gateways: LoadGateway[] = [];
  private running = false;
  private measuring = false;
  private readonly sent = new Map<string, Sent[]>();
  private readonly next = new Map<string, { seq: bigint; t: number; batches: number }>();
  private template: ReadingBatch | undefined;
  private energyGrowthSteps: number[] = [];
  private tokens = 0;
  private pumpTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: LoadOptions) {}

  async connect(): Promise<void> {
    const first = this.options.firstGateway ?? 0;
    for (let g = first; g < first + this.options.gateways; g++) {
      const id = gatewayId(g);
      const client = await mqtt.connectAsync(this.options.url, { protocolVersion: 4, clientId: id, username: id, password: GATEWAY_PASSWORD, reconnectPeriod: 0, connectTimeout: CONNECT_TIMEOUT_MS });
      if (this.options.doneOn === 'ack') {
        await client.subscribeAsync(topicFor(id, 'ack'), { qos: 1 });
        client.on('message', (_topic, payload) => this.onAck(id, payload));
      }
      this.gateways.push({ id, client });
      this.sent.set(id, []);
      this.next.set(id, { seq: 1n, t: this.options.startT, batches: 0 });
    }
    this.template = templateBatch('gw', this.options.metersPerGateway, this.options.batchReadings, 0);
    this.energyGrowthSteps = energyGrowthSteps(this.template, this.options.metersPerGateway);
  }

  /** Starts publishing; figures are kept only between measure() and stop(). */
  start(): void {
    this.running = true;
    if (this.options.ratePerS) {
      const tickMs = 50;
      this.pumpTimer = setInterval(() => {
        this.tokens = Math.min(this.tokens + (this.options.ratePerS! * tickMs) / 1000, this.options.ratePerS!);
        for (const gw of this.gateways) this.fill(gw);
      }, tickMs);
    } else for (const gw of this.gateways) this.fill(gw);
  }

  measure(): void {
    this.measuring = true;
    this.done = 0;
    this.delaysMs.length = 0;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.measuring = false;
    clearInterval(this.pumpTimer);
    await Promise.all(this.gateways.map((g) => g.client.endAsync(true)));
  }

  private fill(gw: LoadGateway): void {
    const inFlight = this.sent.get(gw.id)!;
    while (this.running && inFlight.length < this.options.window) {
      if (this.options.ratePerS) {
        if (this.tokens < this.options.batchReadings) return;
        this.tokens -= this.options.batchReadings;
      }
      this.publish(gw, inFlight);
    }
  }

  private publish(gw: LoadGateway, inFlight: Sent[]): void {
    const { batchReadings, metersPerGateway } = this.options;
    const next = this.next.get(gw.id)!;
    const t0 = this.options.live ? Date.now() : next.t;
    const template = this.template!;
    const batch = { ...template, gw: gw.id, seq: formatSeq(next.seq), t: [t0, ...template.t.slice(1)], q: { ...template.q, ei: this.energyColumn(next.batches) } };
    const sent: Sent = { firstSeq: next.seq, rows: batchReadings, at: performance.now() };
    next.seq += BigInt(batchReadings);
    next.t += (batchReadings / metersPerGateway) * POLL_MS;
    next.batches++;
    inFlight.push(sent);
    gw.client.publish(topicFor(gw.id, this.options.topic ?? 'backlog'), encodePayload(batch), { qos: 1 }, (error) => {
      if (!error && this.options.doneOn === 'puback') this.complete(gw, (s) => s === sent);
    });
  }

  /**
   * The template's energy column for the gateway's n-th batch: each meter's first row (the
   * absolute value; later rows are deltas) moved on by n batches' growth, so the counters
   * count on across batches as a meter's do instead of falling back at every batch, which
   * meter-integrity rightly raises as counter-backwards.
   */
  private energyColumn(n: number): (number | null)[] {
    const column = [...this.template!.q.ei!];
    for (let row = 0; row < this.options.metersPerGateway; row++) column[row]! += n * this.energyGrowthSteps[row]!;
    return column;
  }

  private onAck(id: string, payload: Buffer): void {
    const decoded = decodePayload(payload);
    if (!decoded.ok) return;
    const ranges = (decoded.value as Ack).ranges.map(([from, to]) => [parseSeq(from), parseSeq(to)] as const);
    this.complete(this.gateways.find((g) => g.id === id)!, (s) => ranges.some(([from, to]) => s.firstSeq >= from && s.firstSeq <= to));
  }

  private complete(gw: LoadGateway, covered: (s: Sent) => boolean): void {
    const inFlight = this.sent.get(gw.id)!;
    const now = performance.now();
    for (let i = inFlight.length - 1; i >= 0; i--) {
      const s = inFlight[i]!;
      if (!covered(s)) continue;
      inFlight.splice(i, 1);
      if (this.measuring) {
        this.done += s.rows;
        this.delaysMs.push(now - s.at);
      }
    }
    this.fill(gw);
  }
}
