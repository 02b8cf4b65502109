/**
 * The conformance CLI's key-set profiles (src/cli/conformance/key-set/): the served TEST key set, the
 * options, the replay of scenarios under a profile, and the lifecycle checks against a tiny in-test backend
 * (node:http) that holds the key set by the contract's rules with the verdict engine: it fetches the set the
 * CLI serves, caches it and refetches an unknown kid at most once per cool-down. The cool-down is shortened
 * (400 ms) so the lifecycle runs in about two seconds; broken variants of the backend must be caught.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_SECRET } from '../../../../src/contract/data/fixtures.ts';
import { TEST_JWKS } from '../../../../src/contract/data/test-key-set.ts';
import { scenarioByName, vectorContext } from '../../../../src/contract/scenarios/index.ts';
import { evaluate } from '../../../../src/contract/verifier/verify.ts';
import { type LifecycleOptions, runLifecycle } from '../../../../src/cli/conformance/key-set/lifecycle.ts';
import { keySetScenarioRequest, profileSkip } from '../../../../src/cli/conformance/key-set/profile.ts';
import { ServedJwks, parseServeAddress, servedJwksUrl } from '../../../../src/cli/conformance/key-set/served-jwks.ts';
import { send, urlFor } from '../../../../src/cli/conformance/http.ts';
import { parseOptions } from '../../../../src/cli/conformance/options.ts';
import { summaryOf } from '../../../../src/cli/conformance/result.ts';
import { runConformance } from '../../../../src/cli/conformance/run.ts';
import { UsageError } from '../../../../src/cli/usage.ts';
import { type Handler, listen, optionsFor } from './support.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const COOLDOWN_MS = 400;

interface KeySetBackendConfig {
  jwksUrl: string;
  profile: 'jwks' | 'both';
  secret?: string;
  /** rules: the contract's; always: refetch on every unknown kid (no cool-down); never: fetch only once. */
  refetch?: 'rules' | 'always' | 'never';
  /** unavailable: a failed needed refetch is 503 (the contract); stale: keep judging with the old set. */
  onFailure?: 'unavailable' | 'stale';
  /** Default COOLDOWN_MS (the lifecycle tests shorten the CLI's too); runConformance waits out the real 30 s. */
  cooldownMs?: number;
}

/** A backend that holds the key set by the contract's rules (or breaks one on purpose) and answers with the engine. */
function keySetBackend(config: KeySetBackendConfig) {
  let held: { keys: Record<string, unknown>[] } | null = null;
  let lastFetch = -Infinity;
  const seen = { fetches: 0 };
  const kidOf = (authorization: string | undefined): string | null => {
    try {
      const header = JSON.parse(Buffer.from((authorization ?? '').replace(/^Bearer\s+/i, '').split('.')[0] ?? '', 'base64url').toString('utf8'));
      return header && header.alg === 'EdDSA' && typeof header.kid === 'string' && header.kid ? header.kid : null;
    } catch {
      return null;
    }
  };
  const handler: Handler = (request, response) => {
    void (async () => {
      const lines = request.headersDistinct.authorization ?? [];
      const kid = lines.length === 1 ? kidOf(lines[0]) : null;
      let failed = false;
      if (kid !== null && (held === null || !held.keys.some((key) => key.kid === kid))) {
        const now = Date.now();
        const mayFetch = config.refetch === 'always' || (config.refetch === 'never' ? held === null : now - lastFetch >= (config.cooldownMs ?? COOLDOWN_MS));
        if (mayFetch) {
          lastFetch = now;
          seen.fetches++;
          try {
            const answer = await fetch(config.jwksUrl);
            if (!answer.ok) throw new Error(`status ${answer.status}`);
            held = (await answer.json()) as { keys: Record<string, unknown>[] };
          } catch {
            failed = config.onFailure !== 'stale';
          }
        }
      }
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const { verdict } = await evaluate({
        profile: config.profile,
        authorization: lines.length === 0 ? null : lines.length === 1 ? lines[0] : lines,
        secret: config.secret ?? null,
        keys: failed || held === null ? 'unavailable' : held,
        algorithm: 'EdDSA',
        now: Date.now() / 1000,
        pathUserId: path.match(/^\/api\/users\/([^/]+)\/tasks$/)?.[1],
        requiredRole: path === '/api/admin/stats' ? 'admin' : undefined,
      });
      const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'WWW-Authenticate' };
      if (request.method === 'OPTIONS') {
        response.writeHead(204, { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'Authorization' }).end();
        return;
      }
      if (verdict.wwwAuthenticate) headers['WWW-Authenticate'] = verdict.wwwAuthenticate;
      response.writeHead(verdict.status, headers).end(JSON.stringify(verdict.body ?? { ok: true }));
    })();
  };
  return { handler, seen };
}

async function serveJwks(log: string[] = []) {
  const served = new ServedJwks((line) => log.push(line));
  await served.start({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => served.stop());
  return served;
}

async function lifecycleAgainst(config: Omit<KeySetBackendConfig, 'jwksUrl' | 'profile'>) {
  const log: string[] = [];
  const served = await serveJwks(log);
  const backend = keySetBackend({ jwksUrl: served.url, profile: 'jwks', ...config });
  const server = await listen(backend.handler);
  cleanups.push(server.close);
  const options: LifecycleOptions = { profile: 'jwks', algorithm: 'EdDSA', secret: TEST_SECRET, issuer: null, audience: null, mePath: '/api/me' };
  const results = await runLifecycle(options, {
    served,
    send: (method, path, headers) => send(urlFor(new URL(server.url), path), method, headers, { signal: new AbortController().signal, deadlineMs: 5000 }),
    signal: new AbortController().signal,
    log: (line) => log.push(line),
    cooldownMs: COOLDOWN_MS,
  });
  const byName = Object.fromEntries(results.map((result) => [result.name, result]));
  return { results, byName, served, log, backend };
}

describe('the served key set', () => {
  it('serves TEST_JWKS at /jwks.json, 404 elsewhere, and records every fetch with its time', async () => {
    const log: string[] = [];
    let now = Date.parse('2026-12-02T06:00:00.000Z');
    const served = new ServedJwks((line) => log.push(line), () => now);
    await served.start({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => served.stop());
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/jwks\.json$/);
    const first = await fetch(served.url);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual(TEST_JWKS);
    now += 31_000;
    expect((await fetch(served.url.replace('/jwks.json', '/other'))).status).toBe(404);
    served.addKey({ kty: 'OKP', crv: 'Ed25519', x: 'AAAA', kid: 'test-added' });
    expect(((await (await fetch(served.url)).json()) as { keys: unknown[] }).keys).toHaveLength(TEST_JWKS.keys.length + 1);
    served.setAvailable(false);
    expect((await fetch(served.url)).status).toBe(503);
    expect(served.keySetFetches().map((fetch) => [fetch.status, fetch.at])).toEqual([
      [200, Date.parse('2026-12-02T06:00:00.000Z')],
      [200, Date.parse('2026-12-02T06:00:31.000Z')],
      [503, Date.parse('2026-12-02T06:00:31.000Z')],
    ]);
    expect(log[0]).toMatch(/^\[jwks\] 2026-12-02T06:00:00\.000Z GET \/jwks\.json -> 200 \(key set fetch 1\)$/);
    expect(log).toHaveLength(4);
  });

  it('parses host:port and builds the URL the backend is configured with', () => {
    expect(parseServeAddress('127.0.0.1:8200')).toEqual({ host: '127.0.0.1', port: 8200 });
    expect(parseServeAddress('[::1]:8200')).toEqual({ host: '::1', port: 8200 });
    expect(servedJwksUrl({ host: '::1', port: 8200 })).toBe('http://[::1]:8200/jwks.json');
    for (const bad of ['8200', '127.0.0.1', '127.0.0.1:0', 'host:99999', 'http://127.0.0.1:8200']) expect(parseServeAddress(bad), bad).toBeNull();
  });
});

describe('options of the key-set profiles', () => {
  const parse = (args: string[], env: NodeJS.ProcessEnv = {}) => parseOptions(['--base-url', 'http://127.0.0.1:8000', ...args], env);
  it('jwks needs --serve-jwks but no secret (hs256 tokens are minted with the TEST secret)', () => {
    expect(() => parse(['--profile', 'jwks'])).toThrow(/--serve-jwks/);
    const options = parse(['--profile', 'jwks', '--serve-jwks', '127.0.0.1:8200'])!;
    expect(options).toMatchObject({ profile: 'jwks', algorithm: 'EdDSA', serveJwks: { host: '127.0.0.1', port: 8200 }, skipKeySetLifecycle: false, secret: TEST_SECRET });
    expect(parse(['--profile', 'jwks', '--serve-jwks', '127.0.0.1:8200', '--alg', 'Ed25519', '--skip-key-set-lifecycle'])).toMatchObject({ algorithm: 'EdDSA', skipKeySetLifecycle: true });
  });
  it('both needs the secret too; the key-set flags need a key-set profile; --alg must be asymmetric', () => {
    expect(() => parse(['--profile', 'both', '--serve-jwks', '127.0.0.1:8200'])).toThrow(/secret/);
    expect(parse(['--profile', 'both', '--serve-jwks', '127.0.0.1:8200'], { BETTER_AUTH_SECRET: 'x'.repeat(40) })).toMatchObject({ profile: 'both', secret: 'x'.repeat(40) });
    expect(() => parse(['--serve-jwks', '127.0.0.1:8200'], { BETTER_AUTH_SECRET: 'x' })).toThrow(UsageError);
    expect(() => parse(['--profile', 'jwks', '--serve-jwks', '127.0.0.1:8200', '--alg', 'HS256'])).toThrow(/--alg/);
    expect(() => parse(['--profile', 'rsa', '--serve-jwks', '127.0.0.1:8200'])).toThrow(/--profile/);
    expect(() => parse(['--profile', 'jwks', '--serve-jwks', 'localhost'])).toThrow(/host:port/);
    expect(parse([], { BETTER_AUTH_SECRET: 'x' })!.profile).toBeUndefined();
  });
});

describe('replaying scenarios under the run profile', () => {
  const run = { profile: 'jwks' as const, algorithm: 'EdDSA' as const, secret: TEST_SECRET };
  it('an hs256 scenario runs against a jwks backend, with the answer under jwks', async () => {
    const valid = scenarioByName('valid')!;
    expect(profileSkip(valid, run)).toBeNull();
    const prepared = await keySetScenarioRequest(valid, vectorContext(valid), run);
    if (!('request' in prepared)) throw new Error(prepared.skip);
    expect(prepared.request).toMatchObject({ profile: 'jwks', keys: TEST_JWKS, algorithm: 'EdDSA' });
    expect((await evaluate(prepared.request)).verdict.code).toBe('unsupported_alg');
  });
  it('skips scenarios of another algorithm, scenarios with their own key set, and key-set scenarios in an hs256 run', async () => {
    expect(profileSkip(scenarioByName('jwks-valid-es256')!, run)).toBe('needs a backend configured for ES256 (this run: --alg EdDSA)');
    expect(profileSkip(scenarioByName('jwks-valid')!, { secret: TEST_SECRET })).toMatch(/^needs a backend with the jwks profile/);
    const unavailable = scenarioByName('jwks-keys-unavailable')!;
    expect(await keySetScenarioRequest(unavailable, vectorContext(unavailable), run)).toEqual({ skip: expect.stringMatching(/^not over HTTP: it sets its own key set/) });
  });
});

describe('key-set lifecycle checks', () => {
  it('a backend that follows the key-set rules passes all three, each with one counted fetch', async () => {
    const { results, byName, log } = await lifecycleAgainst({});
    expect(results.map((result) => [result.name, result.kind, result.check, result.state])).toEqual([
      ['key-set-cooldown', 'key-set', 'key', 'passed'],
      ['key-set-rotation', 'key-set', 'key', 'passed'],
      ['key-set-unavailable', 'key-set', 'key', 'passed'],
    ]);
    expect(byName['key-set-rotation']!.actual).toMatchObject({ status: 200 });
    expect(byName['key-set-unavailable']!.actual).toMatchObject({ status: 503, code: 'keys_unavailable', challenge: false });
    expect(log.some((line) => /waiting \d+ s for the backend's cool-down/.test(line))).toBe(true);
  });

  it('a backend without a cool-down (a fetch per unknown kid) fails the cool-down check', async () => {
    const { byName, backend } = await lifecycleAgainst({ refetch: 'always' });
    expect(backend.seen.fetches).toBeGreaterThan(20);
    expect(byName['key-set-cooldown']).toMatchObject({ state: 'mismatched', severity: 'availability' });
    expect(byName['key-set-cooldown']!.differences[0]).toMatch(/fetched the key set 20× for 20 unknown kids/);
  });

  it('a backend that never refetches refuses the rotated key: the rotation check fails', async () => {
    const { byName } = await lifecycleAgainst({ refetch: 'never' });
    expect(byName['key-set-cooldown']!.state).toBe('passed');
    expect(byName['key-set-rotation']).toMatchObject({ state: 'mismatched', severity: 'availability', actual: { status: 401, code: 'unknown_key' } });
    expect(byName['key-set-rotation']!.differences).toContain('the backend fetched the key set 0× for the new kid (expected exactly one refetch)');
  });

  it('a backend that keeps judging with its old set after a failed refetch answers unknown_key: the unavailable check fails', async () => {
    const { byName } = await lifecycleAgainst({ onFailure: 'stale' });
    expect(byName['key-set-rotation']!.state).toBe('passed');
    expect(byName['key-set-unavailable']).toMatchObject({ state: 'mismatched', expected: { status: 503, code: 'keys_unavailable' }, actual: { status: 401, code: 'unknown_key' } });
  });
});

describe('runConformance with --profile jwks and both', () => {
  const quiet = { start: () => undefined, update: () => undefined, stop: () => undefined };
  async function runAgainst(profile: 'jwks' | 'both', only: string[] = []) {
    // Port 0 is refused by the options, not by runConformance: the served URL is read back from the log.
    const served = new ServedJwks();
    await served.start({ host: '127.0.0.1', port: 0 });
    const port = Number(new URL(served.url).port);
    await served.stop();
    const backend = keySetBackend({ jwksUrl: `http://127.0.0.1:${port}/jwks.json`, profile, secret: profile === 'both' ? TEST_SECRET : undefined, cooldownMs: 30_000 });
    const server = await listen(backend.handler);
    cleanups.push(server.close);
    const log: string[] = [];
    const controller = new AbortController();
    const options = optionsFor(server.url, TEST_SECRET, {
      profile,
      algorithm: 'EdDSA',
      serveJwks: { host: '127.0.0.1', port },
      skipKeySetLifecycle: only.length === 0,
      only,
      userPath: '/api/users/{user_id}/tasks',
      rolePath: '/api/admin/stats',
      role: 'admin',
    });
    const run = await runConformance(options, { signal: controller.signal, abort: (reason) => controller.abort(reason), progress: quiet, log: (line) => log.push(line) });
    return { run, log, backend };
  }

  it('jwks: every scenario that travels agrees, hs256 ones included, and the served URL is printed first', async () => {
    const { run, log, backend } = await runAgainst('jwks');
    const summary = summaryOf(run);
    expect(summary.mismatched).toBe(0);
    expect(summary.noAnswer).toBe(0);
    expect(run.results.find((result) => result.name === 'valid')).toMatchObject({ state: 'passed', expected: { status: 401, code: 'unsupported_alg' } });
    expect(run.results.find((result) => result.name === 'jwks-valid')).toMatchObject({ state: 'passed', actual: { status: 200 } });
    expect(run.results.some((result) => result.kind === 'key-set')).toBe(false);
    expect(log[0]).toMatch(/^Serving the TEST key set at http:\/\/127\.0\.0\.1:\d+\/jwks\.json/);
    expect(backend.seen.fetches).toBeGreaterThanOrEqual(1);
    expect(run.notes.some((note) => /the backend fetched it \d+×/.test(note))).toBe(true);
  });

  it('both: HS256 and EdDSA tokens are accepted, every scenario that travels agrees', async () => {
    const { run } = await runAgainst('both');
    expect(summaryOf(run).mismatched).toBe(0);
    for (const name of ['valid', 'both-hs256-valid', 'both-eddsa-valid', 'jwks-valid', 'jwks-hs256-token']) {
      expect(run.results.find((result) => result.name === name), name).toMatchObject({ state: 'passed', actual: { status: 200 } });
    }
  });

  it('a lifecycle check picked with --scenario runs after the scenarios, as a key-set result', async () => {
    const { run } = await runAgainst('jwks', ['key-set-cooldown']);
    expect(run.results.map((result) => [result.name, result.kind, result.state])).toEqual([['key-set-cooldown', 'key-set', 'passed']]);
  });
});

describe('key-set results in every report format', () => {
  it('text, JSON, JUnit and GitHub name the profile and carry the lifecycle checks (check key)', async () => {
    const { jsonReport } = await import('../../../../src/cli/conformance/report/json.ts');
    const { junitReport } = await import('../../../../src/cli/conformance/report/junit.ts');
    const { annotations, jobSummary } = await import('../../../../src/cli/conformance/report/github.ts');
    const { plain, textReport } = await import('../../../../src/cli/conformance/report/text.ts');
    const answer = (status: number, code: string | null) => ({ status, challenge: status === 401, scheme: status === 401 ? 'Bearer' : null, realm: status === 401 ? 'api' : null, error: status === 401 ? 'invalid_token' : null, code });
    const run = {
      options: optionsFor('http://127.0.0.1:8000', TEST_SECRET, { profile: 'jwks' as const, algorithm: 'EdDSA' as const, serveJwks: { host: '127.0.0.1', port: 8200 }, skipKeySetLifecycle: false }),
      startedAt: '2026-12-02T06:00:00Z',
      seconds: 61,
      planned: 2,
      abortReason: null,
      fatal: null,
      notes: [],
      results: [
        { name: 'key-set-cooldown', title: 'Key set: a burst of unknown kids is refetched at most once per 30 s', kind: 'key-set' as const, check: 'key', state: 'passed' as const, expected: answer(401, 'unknown_key'), actual: answer(401, 'unknown_key'), differences: [], ms: 300 },
        {
          name: 'key-set-unavailable',
          title: 'Key set: a failed refetch answers 503 keys_unavailable',
          kind: 'key-set' as const,
          check: 'key',
          state: 'mismatched' as const,
          severity: 'status' as const,
          expected: { status: 503, challenge: false, scheme: null, realm: null, error: null, code: 'keys_unavailable' },
          actual: answer(401, 'unknown_key'),
          differences: ['status 401 instead of 503'],
          ms: 200,
        },
      ],
    };
    const json = JSON.parse(jsonReport(run, [], []));
    expect(json).toMatchObject({ profile: 'jwks', algorithm: 'EdDSA', keySetLifecycle: true });
    expect(json.results.map((result: { name: string; kind: string; check: string }) => [result.name, result.kind, result.check])).toEqual([
      ['key-set-cooldown', 'key-set', 'key'],
      ['key-set-unavailable', 'key-set', 'key'],
    ]);
    expect(junitReport(run)).toMatch(/classname="conformance\.key" name="key-set-unavailable: [^"]*"[^]*<failure type="status"/);
    const text = textReport(run, [], [], plain);
    expect(text).toContain('(profile jwks, EdDSA)');
    expect(text).toContain('key-set-unavailable');
    expect(annotations(run, [])).toContain('key-set-unavailable');
    expect(jobSummary(run, [])).toContain('key-set-unavailable');
  });
});
