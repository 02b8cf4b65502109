/**
 * The backend end to end run (`npm run test:backend`, one step of `npm test`):
 *   1. starts the FastAPI example (uvicorn, 127.0.0.1, a free port) with a test secret, issuer, audience
 *      and CORS origin, and waits for /healthz;
 *   2. runs the conformance CLI against it (every scenario, the user route and the admin route) and
 *      requires 0 mismatches; then once more against a second instance without issuer and audience,
 *      for the scenarios that need a backend which checks neither;
 *   3. the key-set profiles: starts the example with AUTH_PROFILE=jwks (no secret) and AUTH_JWKS_URL pointing
 *      at the key set the conformance CLI serves (--serve-jwks), and requires 0 mismatches, the key-set
 *      lifecycle checks included (cool-down, rotation, unavailable: about a minute, mostly waiting out the
 *      backend's real 30 s cool-down twice); then with AUTH_PROFILE=both (the secret too), without the
 *      lifecycle checks (--skip-key-set-lifecycle);
 *   4. runs the live tests (examples/nextjs/**\/*.e2e.ts): Better Auth -> token route -> FastAPI, and the
 *      API client's refresh-once behaviour against the real app; tests/jwks.e2e.ts starts its own servers
 *      (Better Auth's JWT plugin over HTTP, uvicorn with AUTH_PROFILE=jwks) for the key-set way and rotation;
 *   5. stops the servers, also when something failed.
 * The jwks run (3) is mostly idle, so it starts first and runs beside 2, the both run and 4 (its own backend
 * and key-set server, on ports no other run is given); its output is held and printed as one block when it
 * ends, and its result is required like the others'.
 * Set BACKEND_PORT to choose the first port tried (default 8100).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLE_AUDIENCE, EXAMPLE_ISSUER, TEST_SECRET } from '../src/contract/data/fixtures.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const appDir = join(root, 'examples', 'fastapi');
const uvicorn = join(appDir, '.venv', 'bin', 'uvicorn');
const log = (message: string) => console.log(`[backend-e2e] ${message}`);

class Failure extends Error {}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Ports already given to a server of this run (some bind only later): runs side by side never share one. */
const given = new Set<number>();

async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 100; port++) {
    if (given.has(port) || !(await portIsFree(port))) continue;
    given.add(port);
    return port;
  }
  throw new Failure(`no free port between ${from} and ${from + 99}`);
}

const children = new Set<ChildProcess>();

/**
 * Runs a command without blocking this process (runs go side by side). With `hold`, its output is kept and
 * printed as one block when it ends, so it does not interleave with the run in the foreground.
 */
function run(args: string[], env: NodeJS.ProcessEnv, hold?: string): Promise<number | string> {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: hold ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
  children.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk));
  return new Promise((resolve) =>
    child.once('close', (code, signal) => {
      children.delete(child);
      if (hold) process.stdout.write(`\n[backend-e2e] --- output of ${hold} ---\n${output}[backend-e2e] --- end of ${hold} ---\n`);
      resolve(code ?? signal ?? 'no exit code');
    }),
  );
}

interface Backend {
  url: string;
  process: ChildProcess;
  output: () => string;
}

const running: Backend[] = [];

async function startBackend(name: string, port: number, env: Record<string, string>): Promise<Backend> {
  const child = spawn(uvicorn, ['app:app', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warning'], {
    cwd: appDir,
    // A minimal environment: nothing from the caller's shell leaks into the backend's configuration.
    // AUTH_PROFILE=jwks holds no secret.
    env: { PATH: process.env.PATH ?? '', LANG: process.env.LANG ?? 'C.UTF-8', ...(env.AUTH_PROFILE === 'jwks' ? {} : { BETTER_AUTH_SECRET: TEST_SECRET }), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  const backend: Backend = { url: `http://127.0.0.1:${port}`, process: child, output: () => output };
  running.push(backend);

  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Failure(`the ${name} backend exited with code ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${backend.url}/healthz`);
      if (response.ok) {
        log(`${name} backend up at ${backend.url} (pid ${child.pid})`);
        return backend;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Failure(`the ${name} backend did not answer /healthz within 20 s:\n${output}`);
}

async function stop(backend: Backend): Promise<void> {
  const child = backend.process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function stopAll(): Promise<void> {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(running.map(stop));
}

interface Report {
  summary: { passed: number; mismatched: number; notApplicable: number; total: number };
  seconds: number;
  results: { name: string; kind: string; state: string; reason?: string; ms: number }[];
}

/** The counts of every run, printed at the end. */
const counts: string[] = [];

/** Runs the conformance CLI and returns its JSON report; any mismatch or error fails the run. */
async function conformance(name: string, backend: Backend, args: string[], reportDir: string, withSecret = true, hold = false): Promise<Report> {
  const json = join(reportDir, `${name}.json`);
  log(`conformance run against the ${name} backend${hold ? ' (in the background: its output follows when it ends)' : ''}`);
  const status = await run(
    ['src/cli/conformance.ts', '--base-url', backend.url, '--json', json, '--junit', join(reportDir, `${name}.xml`), ...args],
    // The secret goes in through the environment, not the command line.
    { ...process.env, BETTER_AUTH_SECRET: withSecret ? TEST_SECRET : undefined, NO_COLOR: '1' },
    hold ? `the conformance run against the ${name} backend` : undefined,
  );
  if (status !== 0) throw new Failure(`the conformance run against the ${name} backend failed (exit ${status})`);
  const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
  if (report.summary.mismatched !== 0 || report.summary.passed === 0) throw new Failure(`conformance: ${JSON.stringify(report.summary)}`);
  const line = `${name}: ${report.summary.passed} passed, ${report.summary.mismatched} mismatched, ${report.summary.notApplicable} n/a (${report.seconds.toFixed(1)} s)`;
  counts.push(line);
  log(line);
  return report;
}

/**
 * A key-set profile's run: its own backend (AUTH_JWKS_URL at the key set the conformance CLI serves on the next
 * free port), 0 mismatches, and the lifecycle checks exactly when `lifecycle` (the jwks profile).
 */
async function keySetRun(profile: 'jwks' | 'both', first: number, reportDir: string, hold: boolean): Promise<void> {
  const routes = ['--issuer', EXAMPLE_ISSUER, '--audience', EXAMPLE_AUDIENCE, '--user-path', '/api/users/{user_id}/tasks', '--role-path', '/api/admin/stats', '--role', 'admin'];
  const port = await freePort(first);
  const jwksPort = await freePort(port + 1);
  const jwksUrl = `http://127.0.0.1:${jwksPort}/jwks.json`;
  const keySetBackend = await startBackend(`${profile}`, port, {
    AUTH_PROFILE: profile,
    AUTH_JWKS_URL: jwksUrl,
    AUTH_ISSUER: EXAMPLE_ISSUER,
    AUTH_AUDIENCE: EXAMPLE_AUDIENCE,
    CORS_ORIGINS: EXAMPLE_ISSUER,
  });
  const lifecycle = profile === 'jwks';
  const report = await conformance(profile, keySetBackend, ['--profile', profile, '--serve-jwks', `127.0.0.1:${jwksPort}`, ...routes, ...(lifecycle ? [] : ['--skip-key-set-lifecycle'])], reportDir, profile === 'both', hold);
  await stop(keySetBackend);
  const keySetChecks = report.results.filter((result) => result.kind === 'key-set');
  if (lifecycle) {
    const passed = keySetChecks.filter((result) => result.state === 'passed');
    if (passed.length !== 3) throw new Failure(`the key-set lifecycle checks against the jwks backend: ${keySetChecks.map((result) => `${result.name} ${result.state}`).join(', ') || 'none ran'}`);
    log(`key-set lifecycle checks: ${passed.map((result) => result.name).join(', ')} passed`);
  } else if (keySetChecks.length) throw new Failure('--skip-key-set-lifecycle still ran the key-set lifecycle checks');
}

async function main(): Promise<void> {
  if (!existsSync(uvicorn)) throw new Failure('no virtualenv in examples/fastapi: run `node scripts/setup.mjs --python` first');
  const reportDir = mkdtempSync(join(tmpdir(), 'backend-e2e-'));
  try {
    const first = Number(process.env.BACKEND_PORT || 8100);
    // The key-set profiles: the conformance CLI serves the TEST key set the backend is configured with.
    // The jwks run waits out the backend's 30 s cool-down twice: it goes first, in the background.
    const keySetLifecycle = keySetRun('jwks', first, reportDir, true);
    // Awaited below; until then a failure must not count as unhandled (it is reported when awaited).
    keySetLifecycle.catch(() => {});

    const full = await startBackend('configured', await freePort(first), {
      AUTH_ISSUER: EXAMPLE_ISSUER,
      AUTH_AUDIENCE: EXAMPLE_AUDIENCE,
      CORS_ORIGINS: EXAMPLE_ISSUER,
    });
    const configured = await conformance('configured', full, ['--issuer', EXAMPLE_ISSUER, '--audience', EXAMPLE_AUDIENCE, '--user-path', '/api/users/{user_id}/tasks', '--role-path', '/api/admin/stats', '--role', 'admin'], reportDir);

    const bare = await startBackend('unconfigured (no issuer, no audience)', await freePort(first), { CORS_ORIGINS: EXAMPLE_ISSUER });
    const unconfigured = await conformance('unconfigured', bare, ['--user-path', '/api/users/{user_id}/tasks', '--role-path', '/api/admin/stats', '--role', 'admin'], reportDir);
    await stop(bare);

    // Every scenario that can travel over HTTP ran against at least one of the two backends.
    const agreed = new Set([...configured.results, ...unconfigured.results].filter((result) => result.state === 'passed').map((result) => result.name));
    const scenarios = configured.results.filter((result) => result.kind === 'scenario');
    const never = scenarios.filter((result) => !agreed.has(result.name));
    // The conformance CLI checks the hs256 profile: scenarios of the jwks and both profiles are skipped with that reason.
    const unexplained = never.filter((result) => !result.reason?.startsWith('not over HTTP') && !/^needs a backend with the \w+ profile/.test(result.reason ?? ''));
    if (unexplained.length) throw new Failure(`scenarios that ran against neither backend: ${unexplained.map((result) => `${result.name} (${result.reason})`).join(', ')}`);
    log(`${scenarios.length - never.length} of ${scenarios.length} scenarios agreed over HTTP across both backends; ${never.length} cannot travel over HTTP`);

    await keySetRun('both', first, reportDir, false);

    log('live tests: Better Auth -> token route -> FastAPI, API client; the JWT plugin -> FastAPI in the jwks profile');
    const vitest = await run([join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'examples/nextjs/vitest.backend.config.ts'], { ...process.env, BACKEND_URL: full.url });
    if (vitest !== 0) throw new Failure(`the live tests failed (exit ${vitest})`);

    log('waiting for the jwks run (key-set lifecycle) to end');
    await keySetLifecycle;
  } finally {
    await stopAll();
    rmSync(reportDir, { recursive: true, force: true });
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopAll().finally(() => process.exit(130));
  });
}

try {
  await main();
  for (const line of counts) log(line);
  log('passed');
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`[backend-e2e] ${error instanceof Failure ? message : (error as Error)?.stack ?? message}`);
  for (const backend of running) if (backend.output().trim()) console.error(`[backend-e2e] server output (${backend.url}):\n${backend.output()}`);
  process.exitCode = 1;
}
