// `npm run stack`: the whole reference stack on this machine, for trying it in a browser.
//   1. installs what it needs (scripts/setup.mjs --python: root and examples/nextjs npm dependencies, the
//      FastAPI virtualenv), builds the Next.js app (next build) unless the build is up to date;
//   2. creates Better Auth's tables with its CLI (`auth migrate --config lib/auth.ts`, offline);
//   3. starts the FastAPI example (uvicorn) and the Next.js app (next start) with ONE test-only secret and
//      matching issuer, audience and CORS origin; seeds admin@example.com with role "admin";
//      with TOKEN_SOURCE=jwt-plugin-jwks (Better Auth's JWT plugin as it ships, EdDSA) the API runs with
//      AUTH_PROFILE=jwks and AUTH_JWKS_URL=<the app>/api/auth/jwks and gets no secret: the app starts first and
//      its key set is warmed (the first GET /api/auth/jwks creates the key pair) before uvicorn starts;
//   4. prints both URLs; Ctrl-C or SIGTERM stops both.
// Runs on the machine's Node (>= 20): Node 22.13 or later (node:sqlite) runs the app, from node_modules/.bin.
//
// Environment: WEB_PORT (3000), API_PORT (8000), ADMIN_PASSWORD (else a printed test password),
// TOKEN_SOURCE (route | jwt-plugin | jwt-plugin-jwks), TOKEN_LIFETIME_SECONDS (900), DATABASE_PATH
// (examples/nextjs/.data/stack.sqlite), BETTER_AUTH_SECRET (else the test-only secret below).
// Flags: --fresh-database (delete the database first), --dev (next dev instead of next build + next start),
// --no-setup (skip scripts/setup.mjs), --build-only (build if needed and exit).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const webDir = join(root, 'examples', 'nextjs');
const apiDir = join(root, 'examples', 'fastapi');
const flags = new Set(process.argv.slice(2));
const log = (message) => console.log(`[stack] ${message}`);

class StackError extends Error {}

/** Test configuration only: this secret is public (it is in the repository). Never use it anywhere real. */
const TEST_ONLY_SECRET = 'test-only-stack-secret-NOT-FOR-PRODUCTION-0123456789';
const TEST_ONLY_ADMIN_PASSWORD = 'test-only-admin-password';
const ADMIN_EMAIL = 'admin@example.com';

function port(name, fallback) {
  const value = process.env[name] || String(fallback);
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 65535) throw new StackError(`${name} must be a port number, not "${value}"`);
  return number;
}

/** The Node that runs the app: node:sqlite without a flag needs 22.13 or later. */
function appNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 13)) return process.execPath;
  const pinned = join(root, 'node_modules', '.bin', 'node');
  if (existsSync(pinned)) return pinned;
  throw new StackError(`Node ${process.versions.node} has no node:sqlite; run \`node scripts/setup.mjs\` first (it installs Node 22 into node_modules/.bin)`);
}

function portIsFree(portNumber, host) {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', (error) => resolvePromise(error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT' ? true : error.code));
    server.listen(portNumber, host, () => server.close(() => resolvePromise(true)));
  });
}

/** Fails with a clear message, instead of a hang or a half-started stack, when a port is taken. */
async function checkPorts(ports) {
  for (const [name, portNumber] of ports) {
    for (const host of ['127.0.0.1', '::1']) {
      const free = await portIsFree(portNumber, host);
      if (free !== true) {
        throw new StackError(`port ${portNumber} (${name}) is already in use (${free} on ${host}): stop what runs there, or set ${name}=<another port>`);
      }
    }
  }
}

function runStep(what, command, args, options = {}) {
  log(what);
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) throw new StackError(`${what} failed (exit ${result.status ?? result.signal})`);
}

/** The newest modification time of the app's sources (what `next build` reads). */
function newestSource(path = webDir, top = true) {
  let newest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (top && !['app', 'lib', 'next.config.ts', 'package.json', 'package-lock.json', 'tsconfig.json'].includes(entry.name)) continue;
    const full = join(path, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full, false) : statSync(full).mtimeMs);
  }
  return newest;
}

function build(node) {
  const buildId = join(webDir, '.next', 'BUILD_ID');
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= newestSource()) return log('the Next.js build is up to date (examples/nextjs/.next)');
  const started = Date.now();
  runStep('building the Next.js app (next build, with its type check)', node, [join(webDir, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
    cwd: webDir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  log(`next build took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Children that must not outlive this script. */
const children = [];
let stopping = false;

function start(name, command, args, options) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  const prefix = `[${name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      for (const line of lines) if (line.trim()) process.stdout.write(prefix + line + '\n');
    });
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[stack] ${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping the stack`);
      void stopAll(1);
    }
  });
  children.push({ name, child });
  return child;
}

async function stopAll(exitCode) {
  if (stopping) return;
  stopping = true;
  log('stopping...');
  await Promise.all(
    children.map(({ name, child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return undefined;
      return new Promise((resolvePromise) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 8_000);
        child.once('exit', () => {
          clearTimeout(timer);
          log(`${name} stopped`);
          resolvePromise();
        });
        child.kill('SIGTERM');
      });
    }),
  );
  process.exit(exitCode);
}

async function waitFor(name, url, child, seconds = 60) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new StackError(`${name} exited with code ${child.exitCode} before answering ${url}`);
    try {
      const response = await fetch(url, { redirect: 'manual' });
      if (response.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 200));
  }
  throw new StackError(`${name} did not answer ${url} within ${seconds} s`);
}

/** Signs the admin up through the app (Better Auth's own endpoint), then gives it role "admin" in the database. */
async function seedAdmin({ node, webLocal, webUrl, password, databasePath }) {
  const post = (path, body) =>
    fetch(`${webLocal}/api/auth/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: webUrl },
      body: JSON.stringify(body),
    });
  const signUp = await post('sign-up/email', { name: 'Admin', email: ADMIN_EMAIL, password });
  let existed = false;
  if (!signUp.ok) {
    const body = await signUp.json().catch(() => ({}));
    if (body.code !== 'USER_ALREADY_EXISTS' && !/already exists/i.test(body.message ?? '')) {
      throw new StackError(`could not create ${ADMIN_EMAIL}: ${signUp.status} ${JSON.stringify(body)}`);
    }
    existed = true;
  }
  // The admin plugin's role field; the admin's next session (and token) carries role "admin".
  const script = `const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(process.argv[1]);
const { changes } = db.prepare('UPDATE user SET role = ? WHERE email = ?').run('admin', process.argv[2]);
if (changes !== 1) { console.error('no user ' + process.argv[2]); process.exit(1); }`;
  runStep(`giving ${ADMIN_EMAIL} the role "admin"`, node, ['--no-warnings', '-e', script, databasePath, ADMIN_EMAIL]);
  if (existed) {
    const signIn = await post('sign-in/email', { email: ADMIN_EMAIL, password });
    if (!signIn.ok) log(`warning: ${ADMIN_EMAIL} already existed with another password; use --fresh-database to start over`);
    else log(`${ADMIN_EMAIL} already existed`);
  }
}

/** GET the app's key set until it holds a key (Better Auth creates the first key pair on the first call). */
async function warmKeySet(url) {
  const deadline = Date.now() + 30_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      const body = await response.json().catch(() => null);
      const keys = Array.isArray(body?.keys) ? body.keys : [];
      if (response.ok && keys.length) return log(`key set ready at ${url}: ${keys.map((key) => `${key.alg} kid ${key.kid}`).join(', ')}`);
      last = `${response.status} ${JSON.stringify(body)}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 300));
  }
  throw new StackError(`the app's key set ${url} has no key (${last}); is TOKEN_SOURCE=jwt-plugin-jwks set for the app too?`);
}

async function main() {
  const webPort = port('WEB_PORT', 3000);
  const apiPort = port('API_PORT', 8000);
  if (webPort === apiPort) throw new StackError('WEB_PORT and API_PORT must differ');
  const ports = [
    ['WEB_PORT', webPort],
    ['API_PORT', apiPort],
  ];
  if (!flags.has('--build-only')) await checkPorts(ports);

  if (!flags.has('--no-setup')) runStep('installing what is missing (scripts/setup.mjs --python)', process.execPath, [join(root, 'scripts', 'setup.mjs'), '--python'], { cwd: root });
  const node = appNode();
  const dev = flags.has('--dev');
  if (!dev) build(node);
  if (flags.has('--build-only')) return;

  const webUrl = `http://localhost:${webPort}`;
  const apiUrl = `http://localhost:${apiPort}`;
  const webLocal = `http://127.0.0.1:${webPort}`;
  const apiLocal = `http://127.0.0.1:${apiPort}`;
  const fromEnvSecret = Boolean(process.env.BETTER_AUTH_SECRET);
  const secret = process.env.BETTER_AUTH_SECRET || TEST_ONLY_SECRET;
  const password = process.env.ADMIN_PASSWORD || TEST_ONLY_ADMIN_PASSWORD;
  const databasePath = resolve(root, process.env.DATABASE_PATH || join(webDir, '.data', 'stack.sqlite'));
  const tokenSource = process.env.TOKEN_SOURCE || 'route';
  const TOKEN_SOURCES = {
    route: 'the token route (GET /api/token, HS256 with the shared secret)',
    'jwt-plugin': "the JWT plugin's jwt.sign override (GET /api/auth/token, HS256 with the shared secret)",
    'jwt-plugin-jwks': 'the JWT plugin as it ships (GET /api/auth/token, EdDSA; the API reads GET /api/auth/jwks, AUTH_PROFILE=jwks, no secret)',
  };
  if (!Object.hasOwn(TOKEN_SOURCES, tokenSource)) throw new StackError(`TOKEN_SOURCE must be one of ${Object.keys(TOKEN_SOURCES).join(', ')}, not "${tokenSource}"`);
  const keySet = tokenSource === 'jwt-plugin-jwks';
  const jwksUrl = `${webLocal}/api/auth/jwks`;
  const lifetime = process.env.TOKEN_LIFETIME_SECONDS || '900';

  log(`secret: ${fromEnvSecret ? 'BETTER_AUTH_SECRET from the environment' : `the TEST-ONLY secret in scripts/stack.mjs (public: never use it for anything real)`}${keySet ? ', for the app only (the API gets none)' : ''}`);
  log(`admin: ${ADMIN_EMAIL} / ${process.env.ADMIN_PASSWORD ? '(ADMIN_PASSWORD)' : `${TEST_ONLY_ADMIN_PASSWORD}  <- TEST-ONLY password; set ADMIN_PASSWORD to choose one`}`);
  log(`token source: ${TOKEN_SOURCES[tokenSource]}, lifetime ${lifetime} s`);

  if (flags.has('--fresh-database')) for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(databasePath + suffix, { force: true });
  mkdirSync(dirname(databasePath), { recursive: true });

  // The same values on both sides: the app's URL as issuer, the API's URL as audience, and (hs256) one secret.
  const claims = { AUTH_ISSUER: webUrl, AUTH_AUDIENCE: apiUrl };
  const appEnv = {
    ...process.env,
    ...claims,
    BETTER_AUTH_SECRET: secret,
    BETTER_AUTH_URL: webUrl,
    BETTER_AUTH_TELEMETRY: '0',
    NEXT_TELEMETRY_DISABLED: '1',
    NEXT_PUBLIC_API_URL: apiUrl,
    DATABASE_PATH: databasePath,
    TOKEN_SOURCE: tokenSource,
    TOKEN_LIFETIME_SECONDS: lifetime,
  };

  runStep(`creating the database tables (auth migrate) in ${databasePath}`, node, [join(webDir, 'node_modules', 'auth', 'dist', 'index.mjs'), 'migrate', '--config', 'lib/auth.ts', '--yes'], {
    cwd: webDir,
    env: appEnv,
  });

  // The ports may have been taken while we built.
  await checkPorts(ports);
  const started = Date.now();
  const next = join(webDir, 'node_modules', 'next', 'dist', 'bin', 'next');
  const web = start('web', node, [next, dev ? 'dev' : 'start', '--hostname', '127.0.0.1', '--port', String(webPort)], {
    cwd: webDir,
    env: { ...appEnv, NODE_ENV: dev ? 'development' : 'production', NODE_OPTIONS: '--no-warnings' },
  });
  const webUp = waitFor('the app (Next.js)', `${webLocal}/`, web, dev ? 120 : 60);
  if (keySet) {
    // The API fetches the key set when the first token arrives, and a failed fetch (the app not up yet) would
    // give 503 keys_unavailable for the next 30 s (its refetch cool-down). So: the app first, then its key set
    // (the first GET /api/auth/jwks creates the key pair in the jwks table), then the API.
    await webUp;
    await warmKeySet(jwksUrl);
  }
  const uvicorn = join(apiDir, '.venv', 'bin', 'uvicorn');
  // A minimal environment: nothing from the caller's shell changes the backend's configuration.
  // hs256: both HS256 token ways sign with the shared secret. jwks: the API verifies with the app's public keys
  // and has no secret at all.
  const apiProfile = keySet ? { AUTH_PROFILE: 'jwks', AUTH_JWKS_URL: jwksUrl } : { AUTH_PROFILE: 'hs256', BETTER_AUTH_SECRET: secret };
  const api = start('api', uvicorn, ['app:app', '--host', '127.0.0.1', '--port', String(apiPort)], {
    cwd: apiDir,
    env: { PATH: process.env.PATH ?? '', LANG: process.env.LANG ?? 'C.UTF-8', ...claims, ...apiProfile, CORS_ORIGINS: webUrl },
  });

  await Promise.all([waitFor('the API (uvicorn)', `${apiLocal}/healthz`, api), webUp]);
  await seedAdmin({ node, webLocal, webUrl, password, databasePath });
  log(`both up in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  console.log(`
  App (Next.js + Better Auth):  ${webUrl}
  API (FastAPI):                ${apiUrl}   (GET /healthz, /api/me, /api/users/{id}/tasks, /api/admin/stats)${keySet ? `\n  Key set (the API's AUTH_JWKS_URL): ${jwksUrl}   (AUTH_PROFILE=jwks, no secret on the API side)` : ''}
  Admin:                        ${ADMIN_EMAIL} / ${process.env.ADMIN_PASSWORD ? '(ADMIN_PASSWORD)' : `${TEST_ONLY_ADMIN_PASSWORD} (test-only)`}

  Open ${webUrl}, sign up, and call the API from the dashboard. Press Ctrl-C to stop both.
`);
  log('ready');
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stopAll(0));
// Last resort (an uncaught error): no child outlives this script.
process.on('exit', () => {
  for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

try {
  await main();
} catch (error) {
  console.error(`[stack] ${error instanceof StackError ? error.message : (error?.stack ?? String(error))}`);
  if (children.length) await stopAll(1);
  process.exit(1);
}
