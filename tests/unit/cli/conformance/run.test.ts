/**
 * runConformance (src/cli/conformance/run.ts) in process, against real servers on 127.0.0.1: severities,
 * the v1.1 checks (realm, CORS, the CLI's own scenarios, watched jku/x5u), the give-up rule, --max-time,
 * and the diagnosis (src/cli/conformance/diagnosis.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_SECRET } from '../../../../src/contract/data/fixtures.ts';
import { diagnose } from '../../../../src/cli/conformance/diagnosis.ts';
import type { ConformanceOptions } from '../../../../src/cli/conformance/options.ts';
import { exitCodeOf, summaryOf } from '../../../../src/cli/conformance/result.ts';
import { runConformance } from '../../../../src/cli/conformance/run.ts';
import { type BackendConfig, type Handler, engineBackend, listen, optionsFor } from './support.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const quiet = { start: () => undefined, update: () => undefined, stop: () => undefined };

async function runAgainst(handler: Handler, overrides: Partial<ConformanceOptions> = {}) {
  const backend = await listen(handler);
  cleanups.push(backend.close);
  const controller = new AbortController();
  const run = await runConformance(optionsFor(backend.url, TEST_SECRET, overrides), { signal: controller.signal, abort: (reason) => controller.abort(reason), progress: quiet });
  return { run, url: backend.url };
}

const engine = (config: Partial<BackendConfig> = {}) => engineBackend({ secret: TEST_SECRET, ...config });
const byName = (run: Awaited<ReturnType<typeof runAgainst>>['run'], name: string) => run.results.find((result) => result.name === name);

describe('run: a conforming backend', () => {
  it('agrees on every case, the CLI-only scenarios and the CORS checks included', async () => {
    const { run } = await runAgainst(engine().handler);
    const summary = summaryOf(run);
    expect(summary.mismatched).toBe(0);
    expect(summary.noAnswer).toBe(0);
    expect(exitCodeOf(run)).toBe(0);
    for (const name of ['kid-rs256', 'kid-es256', 'kid-eddsa', 'jwk-embedded-rs256', 'jwk-embedded-hs256', 'kid-path-traversal', 'jku-rs256', 'jku-hs256', 'x5u-rs256', 'x5u-hs256']) {
      expect(byName(run, name), name).toMatchObject({ kind: 'http-only', state: 'passed' });
    }
    // Expected answers come from the contract: a foreign alg is unsupported_alg, a foreign key bad_signature, jku ignored.
    expect(byName(run, 'kid-rs256')).toMatchObject({ check: 'alg', expected: { status: 401, code: 'unsupported_alg' } });
    expect(byName(run, 'jwk-embedded-hs256')).toMatchObject({ check: 'signature', expected: { status: 401, code: 'bad_signature' } });
    expect(byName(run, 'jku-hs256')).toMatchObject({ check: null, expected: { status: 200 } });
    expect(byName(run, 'preflight /api/me')).toMatchObject({ kind: 'cors', check: 'cors', state: 'passed' });
    expect(byName(run, 'expose /api/me')).toMatchObject({ kind: 'cors', state: 'passed' });
  });
});

describe('run: severities', () => {
  it('sorts mismatches into security, availability, wrong status and format only', async () => {
    const { run } = await runAgainst(
      engine({
        tamper: (answer) => {
          if (answer.status === 401 && answer.body.includes('token_expired')) answer.status = 200; // accepts an expired token
          if (answer.status === 401 && answer.body.includes('missing_claim')) answer.status = 400; // wrong status
          if (answer.status === 401 && answer.body.includes('bad_signature')) answer.headers['WWW-Authenticate'] = 'Bearer realm="other", error="invalid_token"'; // format
        },
      }).handler,
    );
    const summary = summaryOf(run);
    expect(summary.bySeverity.security).toBeGreaterThan(0);
    expect(summary.bySeverity.status).toBeGreaterThan(0);
    expect(summary.bySeverity.format).toBeGreaterThan(0);
    expect(byName(run, 'expired')).toMatchObject({ state: 'mismatched', severity: 'security' });
    expect(byName(run, 'missing-sub')).toMatchObject({ state: 'mismatched', severity: 'status' });
    expect(byName(run, 'wrong-secret')).toMatchObject({ state: 'mismatched', severity: 'format', differences: ['WWW-Authenticate realm="other" instead of "api"'] });
    expect(exitCodeOf(run)).toBe(1);
  });

  it('calls a refused valid token availability, and says so first with the body and a hint', async () => {
    const { run } = await runAgainst(engine({ issuer: 'https://auth.example.com' }).handler);
    expect(byName(run, 'valid')).toMatchObject({ state: 'mismatched', severity: 'availability', actual: { status: 401, code: 'wrong_issuer', bodySnippet: expect.stringContaining('wrong_issuer') } });
    const [finding] = diagnose(run.results, run.options);
    expect(finding?.problem).toMatch(/^The valid token is refused: GET \/api\/me answered 401/);
    expect(finding?.evidence).toContain('status 401 (code wrong_issuer)');
    expect(finding?.hint).toMatch(/give it with --issuer/);
  });

  it('checks the body shape: a 401 with a text body is a format mismatch', async () => {
    const { run } = await runAgainst(engine({ tamper: (answer) => void (answer.status === 401 && (answer.body = 'Unauthorized')) }).handler);
    expect(byName(run, 'wrong-secret')).toMatchObject({ severity: 'format', differences: ['the body is not JSON (expected {"detail", "code": "bad_signature"})'] });
  });
});

describe('run: the CLI watches the key URLs it puts in jku and x5u', () => {
  it('reports a backend that fetches them as a security mismatch, even when its answer is right', async () => {
    const inner = engine().handler;
    const fetched: string[] = [];
    const { run } = await runAgainst((request, response) => {
      const token = (request.headers.authorization ?? '').split(' ')[1] ?? '';
      try {
        const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as { jku?: string; x5u?: string };
        const url = header.jku ?? header.x5u;
        if (url?.startsWith('http://127.0.0.1')) {
          fetched.push(url);
          void fetch(url).then(() => inner(request, response));
          return;
        }
      } catch {
        // Not a token.
      }
      inner(request, response);
    });
    expect(fetched.length).toBe(4);
    for (const name of ['jku-rs256', 'jku-hs256', 'x5u-rs256', 'x5u-hs256']) {
      expect(byName(run, name), name).toMatchObject({ state: 'mismatched', severity: 'security', differences: [expect.stringMatching(/the backend fetched the URL in the token header/)] });
    }
  });
});

describe('run: CORS as real checks', () => {
  const noExpose = engine({ tamper: (answer) => void delete answer.headers['Access-Control-Expose-Headers'] }).handler;

  it('a missing Access-Control-Expose-Headers: WWW-Authenticate is a mismatch, not a note', async () => {
    const { run } = await runAgainst(noExpose);
    expect(byName(run, 'expose /api/me')).toMatchObject({ state: 'mismatched', severity: 'format', differences: [expect.stringMatching(/no Access-Control-Expose-Headers: WWW-Authenticate/)] });
    expect(exitCodeOf(run)).toBe(1);
  });

  it('--same-origin skips the CORS checks', async () => {
    const { run } = await runAgainst(noExpose, { sameOrigin: true });
    expect(run.results.some((result) => result.kind === 'cors')).toBe(false);
    expect(exitCodeOf(run)).toBe(0);
  });

  it('a preflight answered 500 is the server failing, with no CORS hint', async () => {
    const inner = engine().handler;
    const { run } = await runAgainst((request, response) => (request.method === 'OPTIONS' ? response.writeHead(500).end('Internal Server Error') : inner(request, response)));
    const preflight = byName(run, 'preflight /api/me');
    expect(preflight).toMatchObject({ state: 'mismatched', severity: 'status', differences: ['the preflight failed with 500: the server failed (see its log)'] });
    expect(JSON.stringify(preflight)).not.toMatch(/origin allowed|--origin/);
  });

  it('a preflight that does not name Authorization is a mismatch (a * does not cover it)', async () => {
    const inner = engine().handler;
    const { run } = await runAgainst((request, response) =>
      request.method === 'OPTIONS' ? response.writeHead(204, { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': '*' }).end() : inner(request, response),
    );
    expect(byName(run, 'preflight /api/me')).toMatchObject({ state: 'mismatched', severity: 'format' });
  });
});

describe('run: bounded', () => {
  it('gives up after 3 answers in a row do not arrive (exit 3), keeping what ran', async () => {
    let count = 0;
    const inner = engine().handler;
    // Answers the probe and the first cases, then stops answering (accepts and never replies).
    const { run } = await runAgainst((request, response) => (++count <= 5 ? inner(request, response) : undefined), { timeoutMs: 300 });
    const summary = summaryOf(run);
    expect(run.abortReason).toMatch(/^gave up: 3 answers in a row did not arrive \(last: the server stopped answering: no complete answer within 0\.3 s\)/);
    expect(summary.noAnswer).toBe(3);
    expect(summary.notRun).toBeGreaterThan(100);
    expect(exitCodeOf(run)).toBe(3);
  });

  it('stops at --max-time and reports the run as partial', async () => {
    const inner = engine().handler;
    const started = Date.now();
    const { run } = await runAgainst((request, response) => void setTimeout(() => inner(request, response), 100), { maxTimeMs: 1000 });
    expect(Date.now() - started).toBeLessThan(2500);
    expect(run.abortReason).toBe('--max-time of 1 s reached');
    expect(summaryOf(run).notRun).toBeGreaterThan(0);
    expect(exitCodeOf(run)).toBe(3);
  });

  it('does not start when the backend cannot be reached', async () => {
    const backend = await listen(() => undefined);
    await backend.close();
    const controller = new AbortController();
    const run = await runConformance(optionsFor(backend.url, TEST_SECRET), { signal: controller.signal, abort: () => undefined, progress: quiet });
    expect(run.fatal).toMatch(/^cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED: connection refused\)\. Is the backend running/);
    expect(run.results).toEqual([]);
    expect(exitCodeOf(run)).toBe(3);
  });
});

describe('diagnosis: every answer a redirect or a 404', () => {
  it('redirects: says so with Location and the start of the body', async () => {
    const { run } = await runAgainst((_request, response) => response.writeHead(308, { Location: 'https://api.example.com/api/me' }).end('<html>Moved</html>'));
    const [finding] = diagnose(run.results, run.options);
    expect(finding?.problem).toMatch(/^Every answer is a redirect \(308\)/);
    expect(finding?.evidence).toEqual(['status 308', 'Location: https://api.example.com/api/me', 'body: <html>Moved</html>']);
    expect(finding?.hint).toMatch(/--base-url/);
  });

  it('404 everywhere: points at --me-path; the body snippet is at most 200 characters', async () => {
    const { run } = await runAgainst((_request, response) => response.writeHead(404, { 'Content-Type': 'text/html' }).end(`<h1>Not Found</h1>${'z'.repeat(5000)}`));
    const [finding] = diagnose(run.results, run.options);
    expect(finding?.problem).toMatch(/^Every answer is 404: there is no route at \/api\/me/);
    expect(finding?.hint).toMatch(/--me-path/);
    const snippet = (byName(run, 'valid')?.actual as { bodySnippet?: string }).bodySnippet!;
    expect(snippet.startsWith('<h1>Not Found</h1>zzz')).toBe(true);
    expect(snippet.length).toBeLessThanOrEqual(200);
  });
});
