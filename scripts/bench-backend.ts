/**
 * npm run bench:backend [-- --seconds 10 --concurrency 4]: drives the FastAPI reference (uvicorn, one worker,
 * 127.0.0.1) for a bounded time and reports what verification costs it. Not part of `npm test`.
 *   1. mixed load: every contract scenario that travels to /api/me over HTTP (valid tokens and hostile
 *      ones: alg none, foreign algs, wrong secrets, malformed, oversized, duplicate headers, ...), round
 *      robin, `concurrency` requests in flight: requests/s, p50/p99 latency, answers by status;
 *   2. cost of verification: /healthz (no auth dependency) and /api/me with a valid token, interleaved in
 *      one phase so both see the same machine: p50 of each and their ratio. The reference has no
 *      unauthenticated twin of /api/me, so /healthz stands in (it also skips the claims' JSON rendering).
 * Any 5xx or lost answer makes it exit 1. The load generator shares the machine with the server.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { cpus } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError, parseFlags } from '../src/cli/usage.ts';
import { EXAMPLE_AUDIENCE, EXAMPLE_ISSUER, TEST_SECRET } from '../src/contract/data/fixtures.ts';
import { SCENARIOS, scenarioRequest, vectorContext } from '../src/contract/scenarios/index.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const appDir = join(root, 'examples', 'fastapi');
const uvicorn = join(appDir, '.venv', 'bin', 'uvicorn');
const USAGE = 'usage: npm run bench:backend [-- --seconds <total, default 10> --concurrency <in flight, default 4>]';

let seconds: number;
let concurrency: number;
try {
  const flags = parseFlags(process.argv.slice(2), { seconds: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '4' } });
  seconds = Number(flags.seconds);
  concurrency = Number(flags.concurrency);
  if (!Number.isFinite(seconds) || seconds < 2 || seconds > 600) throw new UsageError(`--seconds: "${flags.seconds}" is not between 2 and 600`);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency: "${flags.concurrency}" is not between 1 and 64`);
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`bench:backend: ${error.message}\n${USAGE}`);
  process.exit(2);
}
if (!existsSync(uvicorn)) {
  console.error('bench:backend: no virtualenv in examples/fastapi: run `node scripts/setup.mjs --python` first');
  process.exit(2);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startApi(port: number): Promise<ChildProcess> {
  const child = spawn(uvicorn, ['app:app', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warning', '--no-access-log'], {
    cwd: appDir,
    env: { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8', BETTER_AUTH_SECRET: TEST_SECRET, AUTH_ISSUER: EXAMPLE_ISSUER, AUTH_AUDIENCE: EXAMPLE_AUDIENCE, CORS_ORIGINS: EXAMPLE_ISSUER },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`uvicorn exited with code ${child.exitCode}`);
    if (await fetch(`http://127.0.0.1:${port}/healthz`).then((response) => response.ok, () => false)) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('uvicorn did not answer /healthz within 30 s');
}

interface Shot {
  path: string;
  authorization: string[];
}

/** Every scenario that goes to /api/me unchanged over HTTP, minted now for the benchmark backend. */
async function mix(): Promise<{ shots: Shot[]; valid: Shot; accepted: number }> {
  const now = Math.floor(Date.now() / 1000);
  const shots: (Shot & { name: string; accepted: boolean })[] = [];
  for (const scenario of SCENARIOS) {
    if (scenario.notOverHttp || ((scenario as { profile?: string }).profile ?? 'hs256') !== 'hs256' || scenario.requires?.issuer === false || scenario.requires?.audience === false) continue;
    const request = await scenarioRequest(scenario, { ...vectorContext(scenario), now }).catch(() => null);
    if (!request || request.secret !== TEST_SECRET || request.leeway !== undefined || request.pathUserId || request.requiredRole) continue;
    const value = request.authorization;
    const authorization = value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];
    if (authorization.some((line) => /[^\t\x20-\x7e]/.test(line))) continue;
    shots.push({ name: scenario.name, path: '/api/me', authorization, accepted: scenario.expected.status === 200 });
  }
  return { shots, valid: shots.find((shot) => shot.name === 'valid')!, accepted: shots.filter((shot) => shot.accepted).length };
}

interface Tally {
  latencies: number[];
  statuses: Map<number, number>;
  lost: number;
  serverErrors: number;
}

const newTally = (): Tally => ({ latencies: [], statuses: new Map(), lost: 0, serverErrors: 0 });

function hit(agent: http.Agent, port: number, shot: Shot, tally: Tally): Promise<void> {
  const started = performance.now();
  return new Promise((resolve) => {
    const request = http.request({ host: '127.0.0.1', port, path: shot.path, agent, headers: shot.authorization.length ? { Authorization: shot.authorization.length === 1 ? shot.authorization[0]! : shot.authorization } : {} });
    request.setTimeout(10_000, () => request.destroy(new Error('timeout')));
    request.on('error', () => {
      tally.lost++;
      resolve();
    });
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        tally.latencies.push(performance.now() - started);
        tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
        if (status >= 500) tally.serverErrors++;
        resolve();
      });
    });
    request.end();
  });
}

/** `concurrency` loops until the deadline; `next` picks each request and its tally. */
async function load(port: number, ms: number, next: (index: number) => [Shot, Tally]): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const deadline = performance.now() + ms;
  let index = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const [shot, tally] = next(index++);
        await hit(agent, port, shot, tally);
      }
    }),
  );
  agent.destroy();
  return (performance.now() - started) / 1000;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};
const ms = (value: number) => `${value.toFixed(2)} ms`;

const port = await freePort();
let api: ChildProcess | undefined;
const stop = () => {
  if (api && api.exitCode === null) api.kill('SIGTERM');
};
process.once('SIGINT', () => {
  stop();
  process.exit(130);
});
try {
  api = await startApi(port);
  const { shots, valid, accepted } = await mix();
  const healthz: Shot = { path: '/healthz', authorization: [] };
  console.log(`bench:backend: FastAPI reference (uvicorn, 1 worker) on 127.0.0.1:${port}; ${cpus().length} CPU cores shared with the load generator; ${concurrency} in flight; ${seconds} s`);
  // Warm up (imports, first connections), not counted.
  await load(port, 500, (index) => [shots[index % shots.length]!, newTally()]);

  const mixed = newTally();
  const mixedSeconds = await load(port, (seconds * 1000) / 2, (index) => [shots[index % shots.length]!, mixed]);
  const mixedCount = mixed.latencies.length;
  console.log(`\n1. Mixed load: ${shots.length} kinds of request from the contract's scenarios (${accepted} accepted, ${shots.length - accepted} refused)`);
  console.log(`   ${(mixedCount / mixedSeconds).toFixed(0)} requests/s, p50 ${ms(quantile(mixed.latencies, 0.5))}, p99 ${ms(quantile(mixed.latencies, 0.99))}, ${mixedCount} answers`);
  console.log(`   by status: ${[...mixed.statuses].sort((a, b) => a[0] - b[0]).map(([status, count]) => `${status} × ${count}`).join(', ')}`);

  const open = newTally();
  const guarded = newTally();
  const pairSeconds = await load(port, (seconds * 1000) / 2, (index) => (index % 2 ? [valid, guarded] : [healthz, open]));
  const p50Open = quantile(open.latencies, 0.5);
  const p50Guarded = quantile(guarded.latencies, 0.5);
  console.log('\n2. Cost of verification (interleaved in one phase)');
  console.log(`   /healthz, no auth:        p50 ${ms(p50Open)}, p99 ${ms(quantile(open.latencies, 0.99))}`);
  console.log(`   /api/me, valid token:     p50 ${ms(p50Guarded)}, p99 ${ms(quantile(guarded.latencies, 0.99))}`);
  console.log(`   ratio ${(p50Guarded / p50Open).toFixed(2)}× at p50 (+${ms(p50Guarded - p50Open)}); ${((open.latencies.length + guarded.latencies.length) / pairSeconds).toFixed(0)} requests/s`);

  const serverErrors = mixed.serverErrors + open.serverErrors + guarded.serverErrors;
  const lost = mixed.lost + open.lost + guarded.lost;
  console.log(`\n5xx answers: ${serverErrors}; lost answers: ${lost}`);
  if (serverErrors || lost) {
    console.error('bench:backend: FAILED: the backend must answer every request, and never with a 5xx');
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`bench:backend: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  stop();
}
