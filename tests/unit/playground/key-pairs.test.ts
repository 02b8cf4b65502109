// The playground's key-set profile: the builder's key pairs (built-in TEST keys and keys generated with
// WebCrypto), the backend's pasted key set, and what the page says about both. Real WebCrypto, real engine.
import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import { decodeToken } from '../../../src/contract/codec/decode.ts';
import { TEST_JWKS, TEST_KID_FOR } from '../../../src/contract/data/test-key-set.ts';
import { TEST_PRIVATE_KEYS } from '../../../src/contract/data/test-keys.ts';
import { evaluate } from '../../../src/contract/verifier/verify.ts';
import { prettyClaims, signBuilder } from '../../../src/playground/builder.ts';
import { intentOf } from '../../../src/playground/intents.ts';
import { generateKeyPair, publicKeySet, signingKey, testKeySet, thumbprint } from '../../../src/playground/key-pairs.ts';
import { decodeFragment, encodeState, shareNote } from '../../../src/playground/share-link.ts';
import { KEY_PAIR_ALGS, type State, initialState, reduce, verdictRequest } from '../../../src/playground/state.ts';
import { keyFact, verdictView } from '../../../src/playground/view-model.ts';
import { keySetStatus } from '../../../src/playground/key-set-view.ts';
import { contractClaims } from '../../../src/contract/codec/sign.ts';
import { EXAMPLE_AUDIENCE, EXAMPLE_ISSUER } from '../../../src/contract/data/fixtures.ts';

const NOW = 1_767_225_600;
const claims = prettyClaims(contractClaims({ now: NOW, issuer: EXAMPLE_ISSUER, audience: EXAMPLE_AUDIENCE }));

/** A jwks backend holding `keySet`, asked about `input`. */
const jwksState = (input: string, keySet: string, algorithm = 'EdDSA'): State => ({
  ...initialState(),
  input,
  profile: 'jwks',
  keySet,
  algorithm,
  clock: { live: false, at: NOW },
});
const evaluateState = (state: State) => evaluate(verdictRequest(state, NOW));

async function signed(alg: string, kid = ''): Promise<string> {
  const result = await signBuilder({ ...initialState().builder, claims, alg: alg as State['builder']['alg'], kid });
  if (!result.ok) throw new Error(result.message);
  return result.token;
}

describe('the builder signs with key pairs', () => {
  for (const alg of KEY_PAIR_ALGS) {
    it(`${alg}: the built-in test key, under {"alg", "kid", "typ"}, verified by the test key set and by its own public key set`, async () => {
      const token = await signed(alg);
      expect(decodeToken(token).header).toEqual({ alg, kid: TEST_KID_FOR[alg], typ: 'JWT' });
      for (const keySet of [testKeySet(), publicKeySet({ alg, kid: '' })]) {
        const evaluation = await evaluateState(jwksState(token, keySet, alg));
        expect(evaluation.verdict.status).toBe(200);
        expect(keyFact(evaluation)).toContain(`"${TEST_KID_FOR[alg]}" from the key set`);
      }
      // The hs256 backend refuses it at the alg check, and says it never checked the signature with a key.
      const hs256 = await evaluateState({ ...jwksState(token, ''), profile: 'hs256' });
      expect(hs256.verdict.code).toBe('unsupported_alg');
      expect(keyFact(hs256)).toBe('Not reached: an earlier check failed');
    });
  }

  it('generates an EdDSA key pair in this process: its kid is its RFC 7638 thumbprint, only its public key is shown', async () => {
    const generated = await generateKeyPair('EdDSA');
    if (!generated.ok) throw new Error(generated.message);
    const key = signingKey({ alg: 'EdDSA', kid: generated.kid });
    expect(key.generated).toBe(true);
    expect(generated.kid).toBe(await calculateJwkThumbprint(key.publicJwk as never));
    const set = publicKeySet({ alg: 'EdDSA', kid: generated.kid });
    expect(JSON.parse(set).keys[0]).toEqual({ kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: generated.kid, alg: 'EdDSA', use: 'sig' });

    const token = await signed('EdDSA', generated.kid);
    expect(decodeToken(token).header?.kid).toBe(generated.kid);
    expect((await evaluateState(jwksState(token, set))).verdict.status).toBe(200);
    // The test key set does not hold it: unknown_key, and the answer says no key fits.
    const unknown = await evaluateState(jwksState(token, testKeySet()));
    expect(unknown.verdict.code).toBe('unknown_key');
    expect(keyFact(unknown)).toBe('None fits: see the reason');
    // Another algorithm's generated kid is not used: that algorithm's test key signs.
    expect(signingKey({ alg: 'ES256', kid: generated.kid }).kid).toBe(TEST_KID_FOR.ES256);
  });

  it('computes RFC 7638 thumbprints exactly (the RFC\'s own RSA example)', async () => {
    const rfc = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };
    expect(await thumbprint(rfc)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });
});

describe('the backend key set', () => {
  it('says what a pasted key set holds for the configured algorithm, or what is wrong with it', () => {
    const base = { keySetUnavailable: false, algorithm: 'EdDSA' };
    expect(keySetStatus({ ...base, keySet: '' })).toMatch(/^Empty: no key set is configured .* 500/);
    expect(keySetStatus({ ...base, keySet: '{"keys": [' })).toMatch(/^✗ This is not JSON: .*503 keys_unavailable/);
    expect(keySetStatus({ ...base, keySet: '{"kty":"OKP"}' })).toMatch(/^✗ Not a key set \(no "keys" array\)/);
    expect(keySetStatus({ ...base, keySet: testKeySet() })).toBe(
      `${TEST_JWKS.keys.length} keys; usable for EdDSA: OKP Ed25519 key "test-eddsa-1", OKP Ed25519 key "test-eddsa-2".`,
    );
    expect(keySetStatus({ ...base, keySet: testKeySet(), algorithm: 'ES512' })).toContain('usable for ES512: EC P-521 key "test-es512-1"');
    expect(keySetStatus({ ...base, keySet: '{"keys":[{"kty":"RSA","kid":"a"}]}', algorithm: 'EdDSA' })).toContain('none usable for EdDSA');
    expect(keySetStatus({ ...base, keySet: 'x', keySetUnavailable: true })).toMatch(/503 keys_unavailable/);
  });

  it('warns when a pasted key set holds private key material, and keeps it out of share links', async () => {
    const leaked = JSON.stringify({ keys: [{ ...TEST_PRIVATE_KEYS.eddsa1, kid: TEST_KID_FOR.EdDSA }] });
    expect(keySetStatus({ keySet: leaked, keySetUnavailable: false, algorithm: 'EdDSA' })).toContain('⚠ It holds private key material ("d")');
    const state = jwksState(await signed('EdDSA'), leaked);
    // The engine uses only the public members: the token verifies.
    expect((await evaluateState(state)).verdict.status).toBe(200);
    const fragment = encodeState(state);
    expect(fragment).not.toContain(String(TEST_PRIVATE_KEYS.eddsa1.d));
    expect(new URLSearchParams(fragment).has('keys')).toBe(false);
    expect(shareNote(state, () => true)).toContain('leaves the key set out');
    const opened = decodeFragment(fragment);
    expect(opened.kind === 'state' && opened.notes.join(' ')).toContain('carries no key set');
  });

  it('reads a key set that is not JSON as one the backend cannot use (503), and an empty one as not configured (500)', async () => {
    const token = await signed('EdDSA');
    expect((await evaluateState(jwksState(token, 'not json'))).verdict.code).toBe('keys_unavailable');
    const empty = await evaluateState(jwksState(token, ''));
    expect([empty.verdict.status, empty.verdict.code]).toEqual([500, 'server_misconfigured']);
    const unavailable = await evaluateState({ ...jwksState(token, testKeySet()), keySetUnavailable: true });
    expect(unavailable.verdict.code).toBe('keys_unavailable');
    expect(keyFact(unavailable)).toBe('None: the key set cannot be had');
  });

  it('the both profile verifies HS256 with the secret and key-pair tokens with the key set', async () => {
    const hs = await signed('HS256');
    const both = { ...jwksState(hs, testKeySet()), profile: 'both' as const };
    const evaluation = await evaluateState(both);
    expect(evaluation.verdict.status).toBe(200);
    expect(keyFact(evaluation)).toBe('BETTER_AUTH_SECRET (HMAC-SHA256)');
    expect((await evaluateState({ ...both, input: await signed('EdDSA') })).verdict.status).toBe(200);
  });
});

describe('profile settings as actions', () => {
  it('switches the profile, the key set and the algorithm; the builder\'s key set switches an hs256 backend to jwks', () => {
    const state = initialState();
    expect(intentOf('profile', undefined, 'jwks', state)).toEqual({ kind: 'action', action: { type: 'profile', value: 'jwks' } });
    expect(intentOf('profile', undefined, 'rs256', state)).toEqual({ kind: 'none' });
    expect(intentOf('key-set-unavailable', undefined, 'true', state)).toEqual({ kind: 'action', action: { type: 'key-set-unavailable', value: true } });
    expect(intentOf('algorithm', undefined, 'ES256', state)).toEqual({ kind: 'action', action: { type: 'field', field: 'algorithm', value: 'ES256' } });
    const used = reduce(state, { type: 'use-key-set', keySet: '{"keys":[]}', algorithm: 'ES256' });
    expect(used).toMatchObject({ profile: 'jwks', keySet: '{"keys":[]}', algorithm: 'ES256', keySetUnavailable: false });
    expect(reduce({ ...state, profile: 'both' }, { type: 'use-key-set', keySet: '', algorithm: 'EdDSA' }).profile).toBe('both');
  });

  it('a new algorithm in the builder goes back to that algorithm\'s test key; the same one keeps the generated key', () => {
    const state = { ...initialState(), builder: { ...initialState().builder, alg: 'EdDSA' as const, kid: 'generated-kid' } };
    expect(intentOf('alg', undefined, 'ES256', state)).toMatchObject({ kind: 'build', builder: { alg: 'ES256', kid: '' } });
    expect(intentOf('alg', undefined, 'EdDSA', state)).toMatchObject({ kind: 'build', builder: { alg: 'EdDSA', kid: 'generated-kid' } });
    expect(intentOf('alg', undefined, 'HS999', state)).toEqual({ kind: 'none' });
  });

  it('a link without its secret is pending only where the secret is used', async () => {
    const token = await signed('EdDSA');
    const evaluation = await evaluateState(jwksState(token, testKeySet()));
    const omitted = { secret: '', secretOmitted: true, sender: { status: 401, code: 'bad_signature' } };
    expect(verdictView(evaluation, { ...omitted, profile: 'jwks' }).tone).toBe('ok');
    expect(verdictView(evaluation, { ...omitted, profile: 'both' }).tone).toBe('pending');
  });
});
