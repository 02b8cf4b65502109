import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OUTCOMES, checksFor } from '../../../../src/contract/data/contract.ts';
import { EXAMPLE_SCENARIO, SCENARIOS, scenarioByName, scenarioRequest, vectorContext } from '../../../../src/contract/scenarios/index.ts';
import { TEST_SECRET, VECTOR_NOW } from '../../../../src/contract/data/fixtures.ts';
import { signClaims, contractClaims } from '../../../../src/contract/codec/sign.ts';
import { evaluate, failedCheck, verdict } from '../../../../src/contract/verifier/verify.ts';
import { assertConsistent } from '../../../support/properties.ts';

const requestOf = (name: string) => {
  const scenario = scenarioByName(name)!;
  return scenarioRequest(scenario, vectorContext(scenario));
};

describe('the contract table', () => {
  it('lists the checks in the contract order with their status, code and WWW-Authenticate', () => {
    // Transcribed from the contract; the engine's data must match it row for row.
    const invalid = 'Bearer realm="api", error="invalid_token"';
    expect(OUTCOMES.map((o) => [o.order, o.check, o.code, o.status, o.wwwAuthenticate])).toEqual([
      [0, 'secret', 'server_misconfigured', 500, null],
      [0, 'key-source', 'server_misconfigured', 500, null],
      [1, 'single-credential', 'duplicate_credentials', 400, 'Bearer realm="api", error="invalid_request"'],
      [2, 'bearer', 'missing_token', 401, 'Bearer realm="api"'],
      [3, 'structure', 'malformed_token', 401, invalid],
      [4, 'alg', 'unsupported_alg', 401, invalid],
      [5, 'crit', 'invalid_header', 401, invalid],
      [6, 'key', 'unknown_key', 401, invalid],
      [6, 'key', 'keys_unavailable', 503, null],
      [7, 'signature', 'bad_signature', 401, invalid],
      [8, 'claims-present', 'missing_claim', 401, invalid],
      [9, 'claim-types', 'invalid_claim', 401, invalid],
      [10, 'expiry', 'token_expired', 401, invalid],
      [11, 'not-before', 'token_not_yet_valid', 401, invalid],
      [12, 'issuer', 'wrong_issuer', 401, invalid],
      [13, 'audience', 'wrong_audience', 401, invalid],
      [14, 'user', 'user_mismatch', 403, 'Bearer realm="api", error="insufficient_scope"'],
      [15, 'role', 'insufficient_role', 403, 'Bearer realm="api", error="insufficient_scope"'],
    ]);
    // Which profiles run which checks: the key check and key-source only where there is a key set.
    expect(checksFor('hs256').map((o) => o.check)).not.toContain('key');
    expect(checksFor('jwks').map((o) => o.check).slice(0, 1)).toEqual(['key-source']);
    expect(checksFor('both').map((o) => o.check)).toContain('key');
  });

  it('has a scenario for every outcome and for 200', () => {
    for (const outcome of OUTCOMES) {
      expect(SCENARIOS.filter((s) => s.expected.code === outcome.code).length, outcome.code).toBeGreaterThan(0);
      expect(scenarioByName(EXAMPLE_SCENARIO[outcome.code])!.expected.code).toBe(outcome.code);
    }
    expect(scenarioByName(EXAMPLE_SCENARIO.ok)!.expected.status).toBe(200);
  });

  it('gives scenarios unique names', () => {
    expect(new Set(SCENARIOS.map((s) => s.name)).size).toBe(SCENARIOS.length);
  });
});

describe('every scenario', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: ${scenario.expected.status} ${scenario.expected.code ?? ''}`, async () => {
      const request = await scenarioRequest(scenario, vectorContext(scenario));
      const evaluation = await evaluate(request);
      expect({ status: evaluation.verdict.status, code: evaluation.verdict.code }).toEqual(scenario.expected);
      expect(failedCheck(evaluation.verdict)?.check ?? null).toBe(scenario.check);
      expect(evaluation.verdict.check).toBe(scenario.check);
      assertConsistent(evaluation, request);
    });
  }
});

describe('signatures, cross-checked with node:crypto', () => {
  it('signs exactly what an independent HMAC-SHA256 over the UTF-8 secret gives', async () => {
    const secret = 'tëst-sécret-ünicode-0123456789-abcdefghij'; // test secret with multi-byte characters
    const token = await signClaims(contractClaims({ now: VECTOR_NOW }), secret);
    const [header, payload, signature] = token.split('.');
    expect(createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${header}.${payload}`).digest('base64url')).toBe(signature);
    expect((await verdict({ authorization: `Bearer ${token}`, secret, now: VECTOR_NOW })).status).toBe(200);
  });

  it('accepts a token signed by node:crypto alone', async () => {
    const header = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
    const payload = Buffer.from(JSON.stringify(contractClaims({ now: VECTOR_NOW }))).toString('base64url');
    const signature = createHmac('sha256', TEST_SECRET).update(`${header}.${payload}`).digest('base64url');
    const result = await verdict({ authorization: `Bearer ${header}.${payload}.${signature}`, secret: TEST_SECRET, now: VECTOR_NOW });
    expect(result.status).toBe(200);
  });
});

describe('trace messages a person understands', () => {
  it('says how long ago a token expired', async () => {
    const token = await signClaims({ ...contractClaims({ now: VECTOR_NOW - 2000 }), exp: VECTOR_NOW - 252 }, TEST_SECRET);
    const result = await verdict({ authorization: `Bearer ${token}`, secret: TEST_SECRET, now: VECTOR_NOW });
    expect(failedCheck(result)!.message).toMatch(/^Expired 4 min 12 s before now .*leeway 30 s/);
  });

  it('never reports a claim when the signature fails', async () => {
    const result = await verdict(await requestOf('signature-before-claims'));
    expect(result.trace.map((step) => step.message).join('\n')).not.toMatch(/"sub"|Expired \d/);
    expect(result.trace.slice(7).every((step) => step.state === 'not-reached')).toBe(true);
  });

  it('never echoes the secret', async () => {
    for (const name of ['valid', 'wrong-secret', 'secret-with-trailing-newline', 'secret-base64-decoded']) {
      const evaluation = await evaluate(await requestOf(name));
      expect(JSON.stringify(evaluation.verdict) + evaluation.hints.join(' ')).not.toContain(TEST_SECRET);
    }
  });
});

describe('hints for common mistakes', () => {
  it('spots a secret with a trailing newline on the issuing side', async () => {
    const { hints } = await evaluate(await requestOf('secret-with-trailing-newline'));
    expect(hints.join(' ')).toMatch(/followed by a newline/);
  });

  it('spots a secret that the backend keeps with a newline', async () => {
    const { hints } = await evaluate(await requestOf('backend-secret-with-trailing-newline'));
    expect(hints.join(' ')).toMatch(/without its surrounding whitespace/);
  });

  it('spots a base64-decoded secret', async () => {
    const { hints } = await evaluate(await requestOf('secret-base64-decoded'));
    expect(hints.join(' ')).toMatch(/base64-decoded/);
  });

  it('recognises a Better Auth session token and the cookie-cache JWT', async () => {
    expect((await evaluate(await requestOf('one-segment'))).hints.join(' ')).toMatch(/session token/);
    expect((await evaluate(await requestOf('session-cookie-value'))).hints.join(' ')).toMatch(/session_token cookie/);
    expect((await evaluate(await requestOf('cookie-cache-token'))).hints.join(' ')).toMatch(/cookie cache/);
  });

  it('says when a bare token lacks the Bearer prefix', async () => {
    expect((await evaluate(await requestOf('token-without-scheme'))).hints.join(' ')).toMatch(/prefix it with "Bearer "/);
  });
});

describe('hostile requests', () => {
  it.each([
    ['not an object', 'hello'],
    ['null', null],
    ['an array', [1, 2]],
    ['numbers everywhere', { authorization: 5, secret: 7, now: 'soon', leeway: -1 }],
    ['a 1 MB token', { authorization: `Bearer ${'a'.repeat(1_000_000)}.b.c`, secret: TEST_SECRET, now: VECTOR_NOW }],
    ['unicode scheme', { authorization: 'Bеarer x.y.z', secret: TEST_SECRET, now: VECTOR_NOW }],
    ['prototype keys', JSON.parse('{"__proto__": {"status": 200}, "authorization": "Bearer a.b.c", "secret": "s"}')],
  ])('%s gives a contract outcome', async (_, request) => {
    const evaluation = await evaluate(request);
    assertConsistent(evaluation, request);
    expect(evaluation.verdict.status).not.toBe(200);
  });

  it('answers 401 malformed_token when a proxy joins two Authorization headers into one line', async () => {
    const token = await signClaims(contractClaims({ now: VECTOR_NOW }), TEST_SECRET);
    const apart = await evaluate({ authorization: [`Bearer ${token}`, `Bearer ${token}`], secret: TEST_SECRET, now: VECTOR_NOW });
    expect(apart.verdict).toMatchObject({ status: 400, code: 'duplicate_credentials' });
    const joined = await evaluate({ authorization: `Bearer ${token}, Bearer ${token}`, secret: TEST_SECRET, now: VECTOR_NOW });
    expect(joined.verdict).toMatchObject({ status: 401, code: 'malformed_token' });
  });

  it('reads a missing now as the current time', async () => {
    const token = await signClaims(contractClaims({ now: Date.now() / 1000 }), TEST_SECRET);
    expect((await verdict({ authorization: `Bearer ${token}`, secret: TEST_SECRET })).status).toBe(200);
  });
});
