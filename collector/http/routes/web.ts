// The operator's web page, served as plain files (no build step): collector/web/ at / and
// /web/…, and uPlot's distribution files from node_modules at /vendor/uplot/…. The API's
// JSON router does not serve files, so the HTTP server asks this handler first.
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { PROJECT_ROOT } from '../../../lib/project-root.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** Page files: lowercase kebab-case names in collector/web or its subfolders; nothing else (no `..`, no dotfiles, no README). */
const WEB_PATH = /^\/web\/((?:[a-z0-9-]+\/)*[a-z0-9-]+\.(?:js|css))$/;
/** The only files taken from the uplot package (its minified build: 51 KB against 145 KB for the ES module). */
const VENDOR_FILES: Record<string, string> = {
  '/vendor/uplot/uPlot.iife.min.js': 'uPlot.iife.min.js',
  '/vendor/uplot/uPlot.min.css': 'uPlot.min.css',
};

/** The page's files: served from the sources also when the collector runs from dist/ (they need no build). */
export const WEB_ROOT = join(PROJECT_ROOT, 'collector', 'web');
const UPLOT_DIST = dirname(createRequire(import.meta.url).resolve('uplot'));

/**
 * Serves the page when the request is for it and returns true; returns false for anything
 * else (the API), leaving `res` untouched. Mount before the API router.
 */
export function serveWeb(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const file = fileFor(path);
  if (!file) return false;
  sendFile(req, res, file);
  return true;
}

function fileFor(path: string): string | null {
  if (path === '/' || path === '/index.html') return join(WEB_ROOT, 'index.html');
  const web = WEB_PATH.exec(path);
  if (web) return join(WEB_ROOT, web[1]!);
  const vendor = VENDOR_FILES[path];
  return vendor ? join(UPLOT_DIST, vendor) : null;
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: string): void {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`not found: ${req.url}\n`);
    return;
  }
  // Revalidate every time (an upgrade changes the files); an unchanged file costs a 304.
  const etag = `"${stat.size.toString(36)}-${stat.mtimeMs.toString(36)}"`;
  const headers = { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache', etag };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': stat.size });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}
