/**
 * The conformance CLI (src/cli/conformance.ts), run as a process against real HTTP servers in this process:
 * one that answers with the verdict engine (a conforming backend), one that gets everything wrong, and none.
 * The run against the FastAPI example is scripts/backend-e2e.ts (npm run test:backend).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../../../src/contract/scenarios/index.ts';
import { EXAMPLE_AUDIENCE, EXAMPLE_ISSUER, TEST_SECRET } from '../../../../src/contract/data/fixtures.ts';
import { evaluate } from '../../../../src/contract/verifier/verify.ts';

const CLI = 'src/cli/conformance.ts';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI asynchronously (the servers it talks to live in this process). */
function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

interface BackendConfig {
  secret: string;
  issuer?: string;
  audience?: string;
}

/** A backend whose every answer comes from the verdict engine: /api/me, /api/users/{id}/tasks, /api/admin/stats. */
function engineBackend(config: BackendConfig) {
  const seen = { maxAuthorizationLines: 0, preflights: 0 };
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    if (request.method === 'OPTIONS') {
      seen.preflights++;
      response.writeHead(204, { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'Authorization' }).end();
      return;
    }
    const lines = request.headersDistinct.authorization ?? [];
    seen.maxAuthorizationLines = Math.max(seen.maxAuthorizationLines, lines.length);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    void evaluate({
      authorization: lines.length === 0 ? null : lines.length === 1 ? lines[0] : lines,
      secret: config.secret,
      now: Date.now() / 1000,
      issuer: config.issuer,
      audience: config.audience,
      pathUserId: path.match(/^\/api\/users\/([^/]+)\/tasks$/)?.[1],
      requiredRole: path === '/api/admin/stats' ? 'admin' : undefined,
    }).then(({ verdict }) => {
      const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'WWW-Authenticate' };
      if (verdict.wwwAuthenticate) headers['WWW-Authenticate'] = verdict.wwwAuthenticate;
      response.writeHead(verdict.status, headers).end(JSON.stringify(verdict.body ?? { ok: true }));
    });
  };
  return { handler, seen };
}

/** A backend that accepts everything, and runs authentication before CORS (preflights get 401). */
const acceptAll = (request: IncomingMessage, response: ServerResponse) => {
  if (request.method === 'OPTIONS') response.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="api"' }).end('{}');
  else response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
};

async function listen(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const ROUTES = ['--user-path', '/api/users/{user_id}/tasks', '--role-path', '/api/admin/stats', '--role', 'admin'];

describe('conformance CLI: options', () => {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    ['no --base-url', ['--secret', 's'], {}, /--base-url is required/],
    ['a base URL that is not a URL', ['--base-url', 'localhost:8000', '--secret', 's'], {}, /use an http:\/\/ or https:\/\/ URL|is not a URL/],
    ['no secret anywhere', ['--base-url', 'http://127.0.0.1:9'], {}, /--secret-env NAME, --secret-file PATH or the BETTER_AUTH_SECRET/],
    ['an empty secret', ['--base-url', 'http://127.0.0.1:9', '--secret', ''], {}, /the secret is empty/],
    ['a user path without {user_id}', ['--base-url', 'http://127.0.0.1:9', '--secret', 's', '--user-path', '/api/users/me'], {}, /no \{user_id\} placeholder/],
    ['a role path without a role', ['--base-url', 'http://127.0.0.1:9', '--secret', 's', '--role-path', '/api/admin'], {}, /--role-path needs --role/],
    ['a role without a role path', ['--base-url', 'http://127.0.0.1:9', '--secret', 's', '--role', 'admin'], {}, /--role needs --role-path/],
    ['a relative path', ['--base-url', 'http://127.0.0.1:9', '--secret', 's', '--me-path', 'api/me'], {}, /must start with \//],
    ['an unknown option', ['--base-url', 'http://127.0.0.1:9', '--secret', 's', '--verbose'], {}, /Unknown option '--verbose'/],
    ['an unknown scenario', ['--base-url', 'http://127.0.0.1:9', '--secret', 's', '--scenario', 'nope'], {}, /no scenario named "nope"/],
    ['a bad timeout', ['--base-url', 'http://127.0.0.1:9', '--secret', 's', '--timeout', '0'], {}, /--timeout/],
  ];
  for (const [name, args, env, message] of cases) {
    it(`exits 2 with a clear message for ${name}`, async () => {
      const run = await runCli(args, env);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toContain('Usage:');
      expect(run.stdout).toBe('');
    });
  }

  it('prints the usage on --help and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('--base-url <url>');
  });
});

describe('conformance CLI: unreachable backend', () => {
  it('exits 3 (cannot judge) and names the reason when nothing listens', async () => {
    const { server, url } = await listen(() => undefined);
    await new Promise((resolve) => server.close(resolve));
    const run = await runCli(['--base-url', url], { BETTER_AUTH_SECRET: TEST_SECRET });
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/cannot judge: cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED: connection refused\)\. Is the backend running/);
    expect(run.stderr).not.toContain(TEST_SECRET);
  });
});

describe('conformance CLI: against a conforming backend (the verdict engine over HTTP)', () => {
  let backend: { server: Server; url: string };
  let engine: ReturnType<typeof engineBackend>;
  let dir: string;
  beforeAll(async () => {
    engine = engineBackend({ secret: TEST_SECRET, issuer: EXAMPLE_ISSUER, audience: EXAMPLE_AUDIENCE });
    backend = await listen(engine.handler);
    dir = mkdtempSync(join(tmpdir(), 'conformance-cli-'));
  });
  afterAll(async () => {
    await new Promise((resolve) => backend.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds no mismatch, sends duplicate headers as separate lines and writes JSON and JUnit reports without the secret', async () => {
    const json = join(dir, 'report.json');
    const junit = join(dir, 'report.xml');
    const run = await runCli(['--base-url', backend.url, '--issuer', EXAMPLE_ISSUER, '--audience', EXAMPLE_AUDIENCE, ...ROUTES, '--json', json, '--junit', junit], {
      BETTER_AUTH_SECRET: TEST_SECRET,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/✓ \d+ passed, 0 mismatched, \d+ not applicable/);
    expect(engine.seen.maxAuthorizationLines).toBeGreaterThanOrEqual(2);
    expect(engine.seen.preflights).toBe(3);

    const report = JSON.parse(readFileSync(json, 'utf8'));
    const scenarios = report.results.filter((result: { kind: string }) => result.kind === 'scenario');
    expect(scenarios).toHaveLength(SCENARIOS.length);
    expect(report.summary.mismatched).toBe(0);
    expect(report.summary.passed + report.summary.notApplicable).toBe(report.summary.total);
    const byName = (name: string) => scenarios.find((result: { name: string }) => result.name === name);
    expect(byName('two-authorization-headers')).toMatchObject({ state: 'passed', request: { authorizationHeaders: 2 }, actual: { status: 400, code: 'duplicate_credentials' } });
    expect(byName('no-secret')).toMatchObject({ state: 'not-applicable' });
    expect(byName('issuer-not-configured')).toMatchObject({ state: 'not-applicable', reason: 'needs a backend without an issuer' });
    expect(byName('other-users-resource')).toMatchObject({ state: 'passed', request: { path: '/api/users/user_456/tasks' } });

    const xml = readFileSync(junit, 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(report.summary.total);
    expect(xml.match(/<skipped /g)).toHaveLength(report.summary.notApplicable);
    expect(xml).not.toContain('<failure');
    for (const text of [run.stdout, readFileSync(json, 'utf8'), xml]) expect(text).not.toContain(TEST_SECRET);
  });

  it('marks scenarios as not applicable when the routes or the configuration are not given', async () => {
    const run = await runCli(['--base-url', backend.url, '--audience', EXAMPLE_AUDIENCE, '--json', join(dir, 'partial.json')], { BETTER_AUTH_SECRET: TEST_SECRET });
    // The backend checks an issuer the run was not told about: the valid token is refused.
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('give it with --issuer');
    expect(run.stdout).toMatch(/needs a route scoped to a user \(--user-path\): own-resource, other-users-resource/);
    expect(run.stdout).toMatch(/needs a route that requires role "admin" \(--role-path, --role\)/);
  });

  it('runs only the scenarios asked for', async () => {
    const run = await runCli(['--base-url', backend.url, '--secret', TEST_SECRET, '--issuer', EXAMPLE_ISSUER, '--audience', EXAMPLE_AUDIENCE, '--scenario', 'valid', '--scenario', 'expired']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/✓ 2 passed, 0 mismatched, 0 not applicable/);
    expect(run.stdout).not.toContain(TEST_SECRET);
  });
});

describe('conformance CLI: secrets of any shape', () => {
  it('mints every scenario for a secret whose base64 reading has a dangling character', async () => {
    let secret = 'test-secret-odd-length-0123456789abcdef';
    while (secret.replace(/[^A-Za-z0-9_-]/g, '').length % 4 !== 1) secret += 'x';
    const engine = engineBackend({ secret });
    const backend = await listen(engine.handler);
    try {
      const run = await runCli(['--base-url', backend.url, ...ROUTES], { BETTER_AUTH_SECRET: secret });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).not.toContain('could not be minted');
      expect(run.stdout).not.toContain(secret);
    } finally {
      await new Promise((resolve) => backend.server.close(resolve));
    }
  });
});

describe('conformance CLI: against a backend that gets it wrong', () => {
  it('lists each mismatch with what was expected and what came back, and exits 1', async () => {
    const backend = await listen(acceptAll);
    const dir = mkdtempSync(join(tmpdir(), 'conformance-cli-'));
    try {
      const junit = join(dir, 'report.xml');
      const run = await runCli(['--base-url', backend.url, '--secret', TEST_SECRET, ...ROUTES, '--junit', junit]);
      expect(run.status).toBe(1);
      expect(run.stdout).toContain('Accepts what it must refuse (security)');
      expect(run.stdout).toMatch(/wrong-secret\s+401 bad_signature error="invalid_token"\s+200/);
      expect(run.stdout).toMatch(/two-authorization-headers\s+400 duplicate_credentials error="invalid_request"\s+200/);
      expect(run.stdout).toMatch(/no-authorization-header\s+401 missing_token challenge without error\s+200/);
      expect(run.stdout).toMatch(/preflight \/api\/me\s+2xx allowing the origin and Authorization\s+401/);
      expect(run.stdout).toContain('authentication runs before CORS');
      expect(run.stdout).toMatch(/✗ \d+ passed, \d+ mismatched, \d+ not applicable/);
      expect(run.stdout).not.toContain(TEST_SECRET);
      const xml = readFileSync(junit, 'utf8');
      expect(xml).toContain('<failure type="security" message="expected 401 bad_signature error=&quot;invalid_token&quot;, got 200"');
    } finally {
      await new Promise((resolve) => backend.server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
