// A small static server for the built site, used by the end-to-end tests and Lighthouse.
// It behaves like a static host: serves dist/ under BASE_PATH, answers unknown paths with 404.html
// and status 404, and applies the security headers from dist/_headers (the file Netlify and
// Cloudflare Pages read), so the tests see the same headers a deployed site sends. Like those hosts, it
// compresses text (gzip) for clients that accept it, so Lighthouse measures the bytes readers download.
//   node scripts/serve-dist.mjs [--port 4322] [--host 127.0.0.1]
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] ? args[index + 1] : fallback;
};
const port = Number(option('port', '4322'));
const host = option('host', '127.0.0.1');
const dist = process.env.DIST_DIR ? `${resolve(process.env.DIST_DIR)}/` : fileURLToPath(new URL('../dist/', import.meta.url));
const base = (process.env.BASE_PATH || '/').replace(/\/?$/, '/');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
  '.pf_fragment': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_meta': 'application/octet-stream',
  '.pagefind': 'application/octet-stream',
};

const COMPRESSIBLE = /^(text\/|application\/(json|xml|manifest\+json)|image\/svg\+xml)/;
const gzipped = new Map();
/** The gzip body of a file, compressed once per server run (the built site does not change under it). */
function gzipFile(file) {
  if (!gzipped.has(file)) gzipped.set(file, gzipSync(readFileSync(file)));
  return gzipped.get(file);
}

/** Parses a Netlify/Cloudflare `_headers` file: a path pattern line, then indented `Name: value` lines. */
function readHeaderRules() {
  const file = join(dist, '_headers');
  if (!existsSync(file)) return [];
  const rules = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) rules.push({ pattern: line.trim(), headers: [] });
    else if (rules.length) {
      const at = line.indexOf(':');
      rules[rules.length - 1].headers.push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
    }
  }
  return rules;
}

const matches = (pattern, path) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(path);

function resolveFile(path) {
  const relative = normalize(decodeURIComponent(path)).replace(/^(\.\.[/\\])+/, '');
  const candidate = join(dist, relative);
  if (!`${candidate}/`.startsWith(dist)) return undefined;
  if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  const index = join(candidate, 'index.html');
  if (existsSync(index)) return index;
  return undefined;
}

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', `http://${host}`);
  const rules = readHeaderRules();
  let status = 200;
  let file;
  if (url.pathname.startsWith(base)) file = resolveFile(url.pathname.slice(base.length));
  else if (url.pathname === base.slice(0, -1)) {
    response.writeHead(301, { location: base }).end();
    return;
  }
  if (file && !url.pathname.endsWith('/') && file.endsWith('index.html') && !url.pathname.endsWith('.html')) {
    response.writeHead(301, { location: `${url.pathname}/${url.search}` }).end();
    return;
  }
  if (!file) {
    status = 404;
    file = join(dist, '404.html');
  }
  const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' };
  const sitePath = `/${url.pathname.slice(base.length)}`;
  for (const rule of rules) {
    if (matches(rule.pattern, sitePath)) for (const [name, value] of rule.headers) headers[name.toLowerCase()] = value;
  }
  let body;
  if (COMPRESSIBLE.test(headers['content-type'])) {
    headers.vary = 'accept-encoding';
    if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
      headers['content-encoding'] = 'gzip';
      body = gzipFile(file);
    }
  }
  response.writeHead(status, headers);
  response.end(request.method === 'HEAD' ? undefined : (body ?? readFileSync(file)));
});

server.listen(port, host, () => console.log(`Serving dist/ at http://${host}:${port}${base}`));
