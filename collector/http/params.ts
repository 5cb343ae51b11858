// Query and body parameters, checked with errors that name the parameter and what is wanted.
import { collectorError } from '../errors.js';

const DAY_MS = 86_400_000;

/** An instant as epoch ms or an ISO 8601 string. */
export function instant(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(value)) throw collectorError('TANDEM_COLLECTOR_INVALID', `${name}: expected epoch milliseconds or an ISO 8601 time, got '${raw}'`);
  return value;
}

/** `from`/`to` (default: the last 24 hours up to now). */
export function timeRange(query: URLSearchParams, now: number): { from: number; to: number } {
  const to = instant(query, 'to', now);
  const from = instant(query, 'from', to - DAY_MS);
  if (from >= to) throw collectorError('TANDEM_COLLECTOR_INVALID', `from (${from}) must be before to (${to})`);
  return { from, to };
}

export function integer(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw collectorError('TANDEM_COLLECTOR_INVALID', `${name}: expected a whole number from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

/** The body as an object, or an error saying so. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw collectorError('TANDEM_COLLECTOR_INVALID', 'the request body must be a JSON object');
  return body as Record<string, unknown>;
}

export function stringField(body: Record<string, unknown>, name: string, pattern?: RegExp): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '' || (pattern && !pattern.test(value))) {
    throw collectorError('TANDEM_COLLECTOR_INVALID', `${name}: expected ${pattern ? `a string matching ${pattern}` : 'a non-empty string'}, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function notFound(what: string): never {
  throw collectorError('TANDEM_COLLECTOR_NOT_FOUND', `no ${what}`);
}
