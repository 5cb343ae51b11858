// The HTTP API (node:http, JSON under /api/v1/). Every error is {error:{code, message}}
// with a message that says what to fix; unexpected failures are logged and answered 500.
import http from 'node:http';
import { TandemError } from '../../lib/errors.js';
import { collectorError, HTTP_STATUS, type CollectorErrorCode } from '../errors.js';
import { listen } from '../listen.js';
import { authorize } from './auth.js';
import { matchRoute, type ApiContext, type ApiResponse, type Route } from './router.js';
import { BUILTIN_ROUTES } from './routes/index.js';
import { serveWeb } from './routes/web.js';

/** Largest request body accepted (bytes): a bulk import of many enterprises fits. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** What the routes see (ApiContext, less the clock), where to listen, and extra routes. */
export interface HttpServerOptions extends Omit<ApiContext, 'now'> {
  host: string;
  port: number;
  routes: Route[];
}

export async function startHttpServer(options: HttpServerOptions): Promise<{ url: string; close(): Promise<void> }> {
  const routes = [...BUILTIN_ROUTES, ...options.routes];
  const context: ApiContext = { ...options, now: Date.now };
  const server = http.createServer((req, res) => {
    if (serveWeb(req, res)) return; // the operator's page (collector/web), same origin as the API
    handle(req, routes, context).then(
      (response) => (response.contentType ? sendText(res, response) : send(res, response.status ?? 200, response.body)),
      (error: Error) => {
        if (error instanceof TandemError && error.code in HTTP_STATUS) {
          return send(res, HTTP_STATUS[error.code as CollectorErrorCode], { error: { code: error.code, message: error.message } });
        }
        options.log.error({ url: req.url, err: error.message }, 'request failed');
        send(res, 500, { error: { code: 'TANDEM_COLLECTOR_INTERNAL', message: `internal error: ${error.message}` } });
      },
    );
  });
  const address = await listen(server, options.host, options.port, 'HTTP');
  return {
    url: `http://${address.host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(req: http.IncomingMessage, routes: Route[], context: ApiContext): Promise<ApiResponse> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const match = matchRoute(routes, req.method ?? 'GET', url.pathname);
  if (!match) throw collectorError('TANDEM_COLLECTOR_NOT_FOUND', `no route ${req.method} ${url.pathname}; the API lives under /api/v1/ (see collector/README.md)`);
  if ('allowed' in match) {
    throw collectorError('TANDEM_COLLECTOR_NOT_FOUND', `${url.pathname} does not answer ${req.method}; it answers ${match.allowed.join(', ')}`);
  }
  const role = await authorize(context.store, req.headers.authorization, match.route.role);
  const body = await readJson(req);
  return match.route.handler({ params: match.params, query: url.searchParams, body, role }, context);
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw collectorError('TANDEM_COLLECTOR_TOO_LARGE', `request body exceeds ${MAX_BODY_BYTES} bytes; split the import`);
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw collectorError('TANDEM_COLLECTOR_INVALID', `request body is not JSON: ${(error as Error).message}`);
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function sendText(res: http.ServerResponse, response: ApiResponse): void {
  const headers: http.OutgoingHttpHeaders = { 'content-type': response.contentType, 'cache-control': 'no-store' };
  if (response.filename) headers['content-disposition'] = `attachment; filename="${response.filename}"`;
  res.writeHead(response.status ?? 200, headers);
  res.end(String(response.body));
}
