// Routes as data: method, path pattern with :params, the role it needs, and a handler that
// returns JSON. One file per resource under routes/ exports its list (alerts can add theirs).
import type { Logger } from '../../lib/logger.js';
import type { MessageBus } from '../broker/message-bus.js';
import type { CommandService } from '../commands/command-service.js';
import type { ConfigService } from '../config-service/config-service.js';
import type { Analysis } from '../ingest/analysis.js';
import type { Ingest } from '../ingest/ingest.js';
import type { Store, TokenRole } from '../store/store.js';

export interface ApiContext {
  store: Store;
  ingest: Ingest;
  bus: MessageBus;
  config: ConfigService;
  commands: CommandService;
  /** The models behind ingest (their evaluations in the health endpoint). */
  analysis: Analysis;
  /** The MQTT URL gateways get at enrolment. */
  publicMqttUrl: string;
  log: Logger;
  now(): number;
}

export interface ApiRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body (undefined without one). */
  body: unknown;
  /** The caller's role; null on public routes called without a token. */
  role: TokenRole | null;
}

export interface ApiResponse {
  status?: number;
  /** JSON, or with `contentType` the text sent as is. */
  body: unknown;
  /** A non-JSON answer (e.g. text/csv): `body` is its text. */
  contentType?: string;
  /** Offered as a download under this name (Content-Disposition). */
  filename?: string;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** e.g. /api/v1/gateways/:id */
  path: string;
  /** 'public' needs no token (enrolment, liveness). */
  role: TokenRole | 'public';
  handler(request: ApiRequest, context: ApiContext): Promise<ApiResponse> | ApiResponse;
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

/** The route for `method path`, or which methods the path allows (for a 405). */
export function matchRoute(routes: Route[], method: string, path: string): Match | { allowed: string[] } | null {
  const parts = path.split('/').filter(Boolean);
  const allowed: string[] = [];
  for (const route of routes) {
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((segment, i) => {
      if (segment.startsWith(':')) {
        params[segment.slice(1)] = decodeURIComponent(parts[i]!);
        return true;
      }
      return segment === parts[i];
    });
    if (!ok) continue;
    if (route.method === method) return { route, params };
    allowed.push(route.method);
  }
  return allowed.length ? { allowed } : null;
}
