/**
 * The conformance CLI (src/cli/conformance.ts), run as a process against real HTTP servers in this process:
 * one that answers with the verdict engine (a conforming backend), one that gets everything wrong, and none.
 * The run against the FastAPI example is scripts/backend-e2e.ts (npm run test:backend).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../../../src/contract/scenarios/index.ts';
import { EXAMPLE_AUDIENCE, EXAMPLE_ISSUER, TEST_SECRET } from '../../../../src/contract/data/fixtures.ts';
import { ROUTES, engineBackend, listen, runCli } from './support.ts';

/** A backend that accepts everything, and runs authentication before CORS (preflights get 401). */
const acceptAll = (request: IncomingMessage, response: ServerResponse) => {
  if (request.method === 'OPTIONS') response.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="api"' }).end('{}');
  else response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
};

describe('conformance CLI: options', () => {
  // Every option rule is tested on parseOptions (options.test.ts); here, that a mistake exits 2 with the usage.
  const cases: [string, string[], RegExp][] = [
    ['no --base-url', ['--secret', 's'], /--base-url is required/],
    ['an unknown option', ['--base-url', 'http://127.0.0.1:9', '--secret', 's', '--verbose'], /Unknown option '--verbose'/],
  ];
  for (const [name, args, message] of cases) {
    it(`exits 2 with a clear message for ${name}`, async () => {
      const run = await runCli(args);
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
  let backend: Awaited<ReturnType<typeof listen>>;
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
    // Diagnosis first: before any mismatch, with the server's status and the start of its body; the body in the JSON too.
    expect(run.stdout.indexOf('Diagnosis')).toBeGreaterThan(0);
    expect(run.stdout.indexOf('Diagnosis')).toBeLessThan(run.stdout.indexOf('Refuses what it must accept'));
    expect(run.stdout).toMatch(/! The valid token is refused: GET \/api\/me answered 401/);
    expect(run.stdout).toMatch(/body: \{"detail":"The token was issued by another issuer\.","code":"wrong_issuer"\}/);
    const report = JSON.parse(readFileSync(join(dir, 'partial.json'), 'utf8'));
    expect(report.diagnosis[0].hint).toContain('--issuer');
    expect(report.results.find((result: { name: string }) => result.name === 'valid').actual.bodySnippet).toContain('wrong_issuer');
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

describe('conformance CLI: in the field', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'conformance-field-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes partial JSON and JUnit reports and exits 3 on SIGINT', async () => {
    const engine = engineBackend({ secret: TEST_SECRET });
    const backend = await listen((request, response) => void setTimeout(() => engine.handler(request, response), 150));
    try {
      const run = await runCli(['--base-url', backend.url, '--json', 'partial.json', '--junit', 'partial.xml'], { BETTER_AUTH_SECRET: TEST_SECRET, INIT_CWD: dir }, {
        // Interrupted once it is well into the run.
        onSpawn: (child) => {
          const timer = setInterval(() => engine.seen.requests >= 10 && (clearInterval(timer), child.kill('SIGINT')), 50);
        },
      });
      expect(run.status).toBe(3);
      expect(run.stderr).toContain('stopped early: interrupted (SIGINT); reports are partial');
      const report = JSON.parse(readFileSync(join(dir, 'partial.json'), 'utf8'));
      expect(report).toMatchObject({ partial: true, stopped: 'interrupted (SIGINT)', exitCode: 3 });
      expect(report.summary.notRun).toBeGreaterThan(0);
      const xml = readFileSync(join(dir, 'partial.xml'), 'utf8');
      expect(xml).toContain('<property name="partial" value="true"/>');
      expect(xml).toContain('<property name="stopped" value="interrupted (SIGINT)"/>');
    } finally {
      await backend.close();
    }
  });

  it('--format github: annotations by severity and a Markdown job summary; lines fit in 100 columns', async () => {
    const backend = await listen(acceptAll);
    const summaryFile = join(dir, 'step-summary.md');
    try {
      const run = await runCli(['--base-url', backend.url, ...ROUTES, '--format', 'github'], { BETTER_AUTH_SECRET: TEST_SECRET, GITHUB_STEP_SUMMARY: summaryFile });
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/^::error title=Accepts what it must refuse \(security\)%3A wrong-secret::Signed with .*expected 401 bad_signature/m);
      const summary = readFileSync(summaryFile, 'utf8');
      expect(summary).toMatch(/^## ❌ Bearer contract v1\.1 conformance/);
      expect(summary).toContain('### Accepts what it must refuse (security): ');
      expect(summary).toContain('| `wrong-secret` | 401 bad_signature error="invalid_token" | 200 |');
      // The text report (not the annotations) fits in 100 columns, and the groups come in severity order.
      const text = run.stdout.split('\n').filter((line) => !line.startsWith('::'));
      for (const line of text) expect(line.length, line).toBeLessThanOrEqual(100);
      const order = ['Accepts what it must refuse', 'Refuses what it must accept', 'Wrong status', 'Format only'].map((title) => run.stdout.indexOf(title)).filter((index) => index >= 0);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    } finally {
      await backend.close();
    }
  });

  it('never writes the secret, even when the server echoes it; --secret-file; --progress on stderr', async () => {
    const secretFile = join(dir, 'secret');
    writeFileSync(secretFile, `${TEST_SECRET}\n`);
    const inner = engineBackend({ secret: TEST_SECRET, tamper: (answer) => void (answer.status === 401 && (answer.body = JSON.stringify({ detail: `we use ${TEST_SECRET}`, code: 'nope' }))) }).handler;
    const backend = await listen(inner);
    try {
      const run = await runCli(['--base-url', backend.url, '--secret-file', secretFile, '--json', join(dir, 'echo.json'), '--progress'], {});
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^conformance: 25\/\d+, \d+ mismatched \(\d+\.\d s\)$/m);
      const json = readFileSync(join(dir, 'echo.json'), 'utf8');
      expect(json).toContain('we use [secret]');
      for (const text of [run.stdout, run.stderr, json]) expect(text).not.toContain(TEST_SECRET);
    } finally {
      await backend.close();
    }
  });
});
