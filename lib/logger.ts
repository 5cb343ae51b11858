// Structured logs: one JSON line per event on stderr (pino). Quiet by default: 'info' is
// kept for state changes (started, connected, lost), per-reading detail is 'debug'.
import { pino, destination, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function isLogLevel(value: unknown): value is LevelWithSilent {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

export function createLogger(name: string, level: string = process.env.TANDEM_LOG_LEVEL ?? 'info'): Logger {
  return pino(
    { name, level: isLogLevel(level) ? level : 'info', base: { name } },
    destination({ dest: 2, sync: true }),
  );
}
