// Diagnosis: each likely cause, found from the pasted text and the engine's evaluation.
import { describe, expect, it } from 'vitest';
import { encodeBase64urlText } from '../../../src/contract/codec/base64url.ts';
import { decodeToken } from '../../../src/contract/codec/decode.ts';
import { contractClaims, signClaims, signSegments } from '../../../src/contract/codec/sign.ts';
import { EXAMPLE_AUDIENCE, EXAMPLE_ISSUER, TEST_SECRET, VECTOR_NOW } from '../../../src/contract/data/fixtures.ts';
import { TEST_JWKS } from '../../../src/contract/data/test-key-set.ts';
import { scenarioByName, scenarioRequest, vectorContext } from '../../../src/contract/scenarios/index.ts';
import { authorizationValues, extractAuthorization } from '../../../src/contract/verifier/authorization.ts';
import { diagnose, signatureCheck } from '../../../src/contract/verifier/diagnose.ts';
import { evaluate, failedCheck } from '../../../src/contract/verifier/verify.ts';
import { frontendAction } from '../../../src/contract/verifier/response.ts';

const NOW = 1_767_225_600;

async function run(text: string, settings: { issuer?: string; secret?: string } = {}) {
  const extracted = extractAuthorization(text);
  const issuer = settings.issuer ?? EXAMPLE_ISSUER;
  const evaluation = await evaluate({ authorization: extracted.authorization, secret: settings.secret ?? TEST_SECRET, now: NOW, issuer, audience: EXAMPLE_AUDIENCE });
  return { evaluation, findings: diagnose({ text, extracted, evaluation, issuer }) };
}
/** The token of a conformance scenario, as the vectors build it. */
async function vectorToken(name: string): Promise<string> {
  const scenario = scenarioByName(name)!;
  const request = await scenarioRequest(scenario, vectorContext(scenario));
  return String(request.authorization).replace(/^Bearer /, '');
}
const ids = (findings: { id: string }[]) => findings.map((finding) => finding.id);
const valid = (claims: Record<string, unknown> = {}) =>
  signClaims({ ...contractClaims({ now: NOW, issuer: EXAMPLE_ISSUER, audience: EXAMPLE_AUDIENCE }), ...claims }, TEST_SECRET);

describe('authorizationValues', () => {
  it('lists every Authorization value of a request', () => {
    expect(authorizationValues(null)).toEqual([]);
    expect(authorizationValues('Bearer a')).toEqual(['Bearer a']);
    expect(authorizationValues(['a', 'b'])).toEqual(['a', 'b']);
  });
});

describe('reading input by its shape', () => {
  it('reads a request line or header lines without Authorization as a request with no header', () => {
    expect(extractAuthorization('GET /api/me HTTP/1.1\nHost: localhost:8000\nAccept: */*')).toEqual({ authorization: null, source: 'request' });
    expect(extractAuthorization('Host: localhost:8000\nAccept: */*')).toEqual({ authorization: null, source: 'request' });
    expect(extractAuthorization('Cookie: better-auth.session_token=abc.def')).toEqual({ authorization: null, source: 'request', cookie: true });
    expect(extractAuthorization('GET /api/me HTTP/1.1\nCookie: a=b\nAuthorization: Bearer x.y.z')).toEqual({ authorization: 'Bearer x.y.z', source: 'header-lines', cookie: true });
  });

  it('still reads tokens, header values and URLs-looking text as before', () => {
    expect(extractAuthorization('a.b.c').source).toBe('token');
    expect(extractAuthorization('Bearer a.b.c').source).toBe('header-value');
    expect(extractAuthorization('https://example.com/x').source).toBe('token');
  });

  it('notes a cookie sent by curl', () => {
    expect(extractAuthorization("curl -b 'session=1' http://x").cookie).toBe(true);
    expect(extractAuthorization("curl -H 'Cookie: a=b' http://x").cookie).toBe(true);
  });
});

describe('diagnose', () => {
  it('a request with only a cookie: the API reads only Authorization', async () => {
    const { evaluation, findings } = await run('GET /api/me HTTP/1.1\nCookie: better-auth.session_token=abc');
    expect(evaluation.verdict.code).toBe('missing_token');
    expect(ids(findings)).toEqual(['cookie-only']);
    expect(findings[0]!.text).toContain('reads only the Authorization header');
  });

  it('a request without any credential', async () => {
    const { findings } = await run('GET /api/me HTTP/1.1\nHost: api');
    expect(ids(findings)).toEqual(['no-authorization']);
  });

  it('line breaks inside a token, with a fix that removes them', async () => {
    const token = await valid();
    const text = `Authorization: Bearer ${token.slice(0, 30)}\r\n${token.slice(30)}`;
    const { evaluation, findings } = await run(`${token.slice(0, 30)}\n${token.slice(30)}`);
    expect(evaluation.verdict.code).toBe('malformed_token');
    const finding = findings.find((item) => item.id === 'line-breaks')!;
    expect(finding.text).toContain('1 line break');
    expect(finding.fix!.input).toBe(token);
    expect(text).toContain(token.slice(0, 30));
  });

  it('quotes around a token, with a fix', async () => {
    const token = await valid();
    const { findings } = await run(`"${token}"`);
    expect(findings.find((item) => item.id === 'quotes')!.fix!.input).toBe(token);
  });

  it('a URL-encoded cookie value', async () => {
    const { findings } = await run('Bearer abcdefghijklmnopqrstuvwxyz012345.c2lnbmF0dXJl%2Bc2ln%3D');
    const finding = findings.find((item) => item.id === 'url-encoded')!;
    expect(finding.text).toContain('URL-encoded');
    expect(finding.fix!.input).toBe('Bearer abcdefghijklmnopqrstuvwxyz012345.c2lnbmF0dXJl+c2ln=');
  });

  it('EdDSA and RS256 tokens point to the jwks profile', async () => {
    for (const alg of ['EdDSA', 'RS256']) {
      const token = await signSegments(JSON.stringify({ alg, kid: 'k1' }), JSON.stringify(contractClaims({ now: NOW })), TEST_SECRET);
      const { evaluation, findings } = await run(token);
      expect(evaluation.verdict.code).toBe('unsupported_alg');
      // Said once: by the engine's hint (the CLI prints it too), not again by the diagnosis.
      const said = [...evaluation.hints, ...findings.map((item) => item.text)].filter((text) => text.includes('key-pair signature'));
      expect(said).toHaveLength(1);
      expect(said[0]).toContain(`alg ${alg} is a key-pair signature`);
      expect(said[0]).toContain('EdDSA by default');
      expect(said[0]).toContain('jwks profile');
      expect(signatureCheck(evaluation)).toContain('Never checked: the alg check failed first');
    }
  });

  it('in a key-set profile, an algorithm other than the configured one points to AUTH_JWT_ALG, and the signature line names the key', async () => {
    const hs256 = await signSegments(JSON.stringify({ alg: 'ES256', kid: 'k1' }), JSON.stringify(contractClaims({ now: NOW })), TEST_SECRET);
    const evaluation = await evaluate({ authorization: `Bearer ${hs256}`, profile: 'jwks', keys: TEST_JWKS, algorithm: 'EdDSA', now: NOW });
    const findings = diagnose({ text: hs256, extracted: extractAuthorization(hs256), evaluation, issuer: '' });
    expect(findings.find((item) => item.id === 'key-pair-alg')!.text).toContain('AUTH_JWT_ALG');
    expect(signatureCheck(evaluation)).toContain('only the configured algorithm');
    const valid = await vectorToken('jwks-valid');
    const accepted = await evaluate({ authorization: `Bearer ${valid}`, profile: 'jwks', keys: TEST_JWKS, algorithm: 'EdDSA', now: VECTOR_NOW });
    expect(signatureCheck(accepted)).toBe('Checked with EdDSA and the OKP Ed25519 key "test-eddsa-1" from the key set: it matches.');
    const unknown = await vectorToken('jwks-unknown-kid');
    const refused = await evaluate({ authorization: `Bearer ${unknown}`, profile: 'jwks', keys: TEST_JWKS, algorithm: 'EdDSA', now: VECTOR_NOW });
    expect(signatureCheck(refused)).toBe('Never checked: no key of the key set fits this token.');
  });

  it('the signature line says what was checked', async () => {
    const ok = await run(await valid());
    expect(signatureCheck(ok.evaluation)).toBe('Checked with HMAC-SHA256 and the backend secret: it matches.');
    const bad = await run(await valid(), { secret: 'another-secret-of-enough-length-0123456789' });
    expect(signatureCheck(bad.evaluation)).toContain('does not match');
  });

  it('times in milliseconds', async () => {
    const { findings } = await run(await valid({ exp: NOW * 1000 + 900_000 }));
    const finding = findings.find((item) => item.id === 'milliseconds')!;
    expect(finding.text).toContain('exp is');
    expect(finding.text).toContain('milliseconds');
  });

  it('iat in milliseconds: the reason names the unit, not the clocks', async () => {
    const ms = await run(await valid({ iat: NOW * 1000 }));
    expect(ms.evaluation.verdict.code).toBe('token_not_yet_valid');
    expect(failedCheck(ms.evaluation.verdict)?.message).toContain(`${NOW * 1000} is a time in milliseconds`);
    expect(failedCheck(ms.evaluation.verdict)?.message).not.toContain('clock');
    expect(ids(ms.findings)).toContain('milliseconds');
    const ahead = await run(await valid({ iat: NOW + 120 }));
    expect(failedCheck(ahead.evaluation.verdict)?.message).toContain("the issuer's clock runs ahead");
    expect(ids(ahead.findings)).not.toContain('milliseconds');
  });

  it('a Basic scheme: the frontend action does not say the header never arrived', async () => {
    const evaluation = await evaluate({ authorization: 'Basic dXNlcjpwYXNz', secret: TEST_SECRET, now: NOW });
    expect(evaluation.verdict.code).toBe('missing_token');
    expect(failedCheck(evaluation.verdict)?.message).toContain('"Basic"');
    const { text } = frontendAction(evaluation.verdict);
    expect(text).toContain('another scheme such as Basic');
    expect(text).not.toContain('never arrived');
  });

  it('a key-set profile without a key set says where the key set goes; a missing secret does not', async () => {
    const token = await valid();
    const noKeys = await evaluate({ authorization: `Bearer ${token}`, profile: 'jwks', keys: null, algorithm: 'EdDSA', now: NOW });
    expect(noKeys.verdict.code).toBe('server_misconfigured');
    expect(ids(diagnose({ text: token, extracted: extractAuthorization(token), evaluation: noKeys }))).toContain('no-key-set');
    const noSecret = await evaluate({ authorization: `Bearer ${token}`, profile: 'both', secret: '', keys: null, algorithm: 'EdDSA', now: NOW });
    expect(noSecret.verdict.code).toBe('server_misconfigured');
    expect(ids(diagnose({ text: token, extracted: extractAuthorization(token), evaluation: noSecret }))).not.toContain('no-key-set');
  });

  it('a trailing slash in iss', async () => {
    const { evaluation, findings } = await run(await valid({ iss: `${EXAMPLE_ISSUER}/` }));
    expect(evaluation.verdict.code).toBe('wrong_issuer');
    expect(ids(findings)).toContain('issuer-slash');
  });

  it('lists every missing required claim, while the answer names the first', async () => {
    const token = await signClaims({ sub: 'user_123' }, TEST_SECRET);
    const { evaluation, findings } = await run(token);
    expect(evaluation.verdict.code).toBe('missing_claim');
    expect(evaluation.verdict.check).toBe('claims-present');
    expect(findings.find((item) => item.id === 'missing-claims')!.text).toContain('email, iat, exp');
  });

  it('warns about a header above 8 KB', async () => {
    const token = await valid({ big: 'x'.repeat(9000) });
    const { findings } = await run(token);
    expect(findings.find((item) => item.id === 'huge-header')!.text).toContain('8 KB');
  });

  it('finds nothing to say about a valid token', async () => {
    expect((await run(await valid())).findings).toEqual([]);
  });
});

describe('decoder hints', () => {
  it('two tokens glued together are not called a JWE', async () => {
    const a = await valid();
    const b = await valid({ sub: 'user_456' });
    const hints = decodeToken(`${a}${b}`).hints;
    expect(hints.join(' ')).toContain('2 tokens glued together');
    expect(hints.join(' ')).not.toContain('JWE');
  });

  it('five segments with an enc header are a JWE', () => {
    const jwe = `${encodeBase64urlText('{"alg":"dir","enc":"A256GCM"}')}..aXY.Y2lwaGVy.dGFn`;
    expect(decodeToken(jwe).hints.join(' ')).toContain('JWE');
  });

  it('abc123.def456: two segments, not a JWT', () => {
    expect(decodeToken('abc123.def456').hints).toContain('Two segments and no JSON header: this is not a JWT, which has three (header.payload.signature).');
  });
});
