/**
 * The key-set profiles (`jwks`, `both`): tokens signed with key pairs, as Better Auth's JWT plugin signs them,
 * checked against the test key set. Covers the key source (check key-source), the algorithm defence, the kid
 * (crit), the usable-key rules and an unavailable key set (key), signatures (signature), and claims checked as
 * on the secret path. Every kid and key comes from data/test-key-set.ts: TEST KEYS only.
 */
import { decodeBase64url, encodeBase64url, encodeBase64urlText } from '../codec/base64url.ts';
import { derEcdsaSignature, signClaims, signInput, signInputWithKey } from '../codec/sign.ts';
import type { KeySetAlgorithm } from '../data/contract.ts';
import { TEST_PRIVATE_KEYS } from '../data/test-keys.ts';
import { TEST_JWKS, TEST_KID, TEST_KID_FOR, publicKey, testSigningKey } from '../data/test-key-set.ts';
import { type Claims, type ScenarioContext, type ScenarioSeed, bearer, claimsFor } from './builders.ts';

interface KeyTokenOptions {
  /** The kid in the header (default: the usable test key of the configured algorithm); null for none. */
  kid?: unknown;
  /** The alg in the header (default: the configured algorithm). */
  alg?: string;
  /** Sign with this kid's private key instead of the header's. */
  signKid?: string;
  header?: Claims;
  claims?: Claims;
  omit?: string[];
}

/** A token signed with a test key pair, for the context's configured algorithm. */
async function keyToken(c: ScenarioContext, options: KeyTokenOptions = {}): Promise<string> {
  const kid = options.kid === undefined ? TEST_KID_FOR[c.algorithm] : options.kid;
  const signer = testSigningKey(options.signKid ?? (typeof kid === 'string' ? kid : TEST_KID_FOR[c.algorithm]));
  const header: Claims = { alg: options.alg ?? c.algorithm, ...(kid === null ? {} : { kid }), typ: 'JWT', ...options.header };
  const input = `${encodeBase64urlText(JSON.stringify(header))}.${encodeBase64urlText(JSON.stringify(claimsFor(c, options.claims, options.omit)))}`;
  const alg = options.alg === 'Ed25519' ? 'Ed25519' : signer.alg;
  return signInputWithKey(input, signer.key, alg);
}

const jwks = (seed: Omit<ScenarioSeed, 'profile'>): ScenarioSeed => ({ ...seed, profile: 'jwks' });
const both = (seed: Omit<ScenarioSeed, 'profile'>): ScenarioSeed => ({ ...seed, profile: 'both' });
const OWN_KEY_SET = 'needs a backend without a key set, or one whose key set cannot be fetched (the conformance CLI checks this apart)';

const VALID_ALGORITHMS: readonly KeySetAlgorithm[] = ['ES256', 'ES512', 'RS256', 'PS256'];

export const keySet: readonly ScenarioSeed[] = [
  // ----- accepted -----
  jwks({
    name: 'jwks-valid',
    title: 'Key set: valid EdDSA token',
    why: 'Signed by the key the header names, with a kid that is in the key set and all claims current: what Better Auth\'s JWT plugin issues.',
    expect: 'ok',
    preset: true,
    build: async (c) => ({ authorization: bearer(await keyToken(c)) }),
  }),
  jwks({
    name: 'jwks-valid-ed25519-name',
    title: 'Key set: alg "Ed25519"',
    why: 'RFC 9864 names the same algorithm "Ed25519"; the contract accepts both names.',
    expect: 'ok',
    build: async (c) => ({ authorization: bearer(await keyToken(c, { alg: 'Ed25519' })) }),
  }),
  jwks({
    name: 'jwks-valid-rotated-key',
    title: 'Key set: signed by the second key of a rotation',
    why: 'During a rotation the set holds the old and the new key; a token from either verifies.',
    expect: 'ok',
    build: async (c) => ({ authorization: bearer(await keyToken(c, { kid: TEST_KID.eddsaRotated })) }),
  }),
  ...VALID_ALGORITHMS.map((algorithm) =>
    jwks({
      name: `jwks-valid-${algorithm.toLowerCase()}`,
      title: `Key set: valid ${algorithm} token`,
      why: `A backend configured for ${algorithm} accepts a token signed by its ${algorithm} key.`,
      expect: 'ok',
      algorithm,
      build: async (c) => ({ authorization: bearer(await keyToken(c)) }),
    }),
  ),
  jwks({
    name: 'jwks-valid-plugin-payload',
    title: "Key set: the JWT plugin's default payload",
    why: 'Better Auth puts the whole user in the payload; the fields the contract does not name are ignored.',
    expect: 'ok',
    build: async (c) => ({
      authorization: bearer(
        await keyToken(c, {
          claims: { id: 'user_123', name: 'Ada', emailVerified: false, image: null, createdAt: '2025-12-31T23:00:00.000Z', updatedAt: '2025-12-31T23:00:00.000Z', role: 'user' },
        }),
      ),
    }),
  }),
  both({
    name: 'both-hs256-valid',
    title: 'Both: a valid HS256 token',
    why: 'In the migration window an HS256 token still takes the secret way.',
    expect: 'ok',
    build: async (c) => ({ authorization: bearer(await signClaims(claimsFor(c), c.secret)) }),
  }),
  both({
    name: 'both-eddsa-valid',
    title: 'Both: a valid EdDSA token',
    why: 'In the migration window a token of the configured algorithm takes the key-set way.',
    expect: 'ok',
    build: async (c) => ({ authorization: bearer(await keyToken(c)) }),
  }),
  both({
    name: 'both-hs256-keys-unavailable',
    title: 'Both: HS256 token while the key set is unavailable',
    why: 'The secret way needs no key set, so HS256 tokens keep working when the key set cannot be fetched.',
    expect: 'ok',
    notOverHttp: OWN_KEY_SET,
    build: async (c) => ({ authorization: bearer(await signClaims(claimsFor(c), c.secret)), keys: 'unavailable' }),
  }),

  // ----- key-source -----
  jwks({
    name: 'jwks-no-key-set',
    title: 'Key set: backend without a key set URL',
    why: 'A jwks backend without AUTH_JWKS_URL cannot verify anything: a server error, reported.',
    expect: 'server_misconfigured',
    notOverHttp: 'the backend under test has a key set URL',
    build: async (c) => ({ authorization: bearer(await keyToken(c)), keys: null }),
  }),
  both({
    name: 'both-no-secret',
    title: 'Both: backend without a secret',
    why: 'The both profile needs the secret and the key set.',
    expect: 'server_misconfigured',
    notOverHttp: 'the backend under test has a secret',
    build: async (c) => ({ authorization: bearer(await keyToken(c)), secret: null }),
  }),
  jwks({
    name: 'jwks-configured-hs256',
    title: 'Key set: backend configured for HS256',
    why: 'The key-set algorithm must be asymmetric; HS256 there would turn the public key into an HMAC secret.',
    expect: 'server_misconfigured',
    notOverHttp: 'the backend under test refuses to start with it',
    build: async (c) => ({ authorization: bearer(await keyToken(c)), algorithm: 'HS256' }),
  }),

  // ----- alg -----
  jwks({
    name: 'jwks-hs256-token',
    title: 'Key set: an HS256 token',
    why: 'The jwks profile accepts only the configured asymmetric algorithm.',
    expect: 'unsupported_alg',
    preset: true,
    build: async (c) => ({ authorization: bearer(await signClaims(claimsFor(c), c.secret)) }),
  }),
  jwks({
    name: 'jwks-hs256-public-key-as-secret',
    title: 'Key set: HS256 signed with the public key',
    why: 'The algorithm confusion attack: HMAC keyed with the public key\'s bytes. The alg check refuses HS256 before any key is touched.',
    expect: 'unsupported_alg',
    build: async (c) => {
      const input = `${encodeBase64urlText(JSON.stringify({ alg: 'HS256', kid: TEST_KID.eddsa, typ: 'JWT' }))}.${encodeBase64urlText(JSON.stringify(claimsFor(c)))}`;
      return { authorization: bearer(await signInput(input, JSON.stringify(TEST_JWKS.keys[0]))) };
    },
  }),
  jwks({
    name: 'jwks-alg-none',
    title: 'Key set: alg "none"',
    why: 'An unsigned token is never accepted, whatever the profile.',
    expect: 'unsupported_alg',
    build: async (c) => {
      const input = `${encodeBase64urlText(JSON.stringify({ alg: 'none', kid: TEST_KID.eddsa }))}.${encodeBase64urlText(JSON.stringify(claimsFor(c)))}`;
      return { authorization: bearer(`${input}.`) };
    },
  }),
  jwks({
    name: 'jwks-other-algorithm',
    title: 'Key set: an ES256 token for an EdDSA backend',
    why: 'Only the one configured algorithm is accepted, even when the key set has a key for another.',
    expect: 'unsupported_alg',
    build: async (c) => ({ authorization: bearer(await keyToken(c, { alg: 'ES256', kid: TEST_KID.es256 })) }),
  }),
  both({
    name: 'both-hs512',
    title: 'Both: an HS512 token',
    why: 'The both profile accepts HS256 and the configured algorithm, nothing else.',
    expect: 'unsupported_alg',
    build: async (c) => {
      const input = `${encodeBase64urlText(JSON.stringify({ alg: 'HS512', typ: 'JWT' }))}.${encodeBase64urlText(JSON.stringify(claimsFor(c)))}`;
      return { authorization: bearer(await signInput(input, c.secret, 'HS512')) };
    },
  }),

  // ----- crit: the kid -----
  jwks({
    name: 'jwks-no-kid',
    title: 'Key set: no kid',
    why: 'On the key-set path the kid names the key; without one there is nothing to look up.',
    expect: 'invalid_header',
    build: async (c) => ({ authorization: bearer(await keyToken(c, { kid: null })) }),
  }),
  jwks({
    name: 'jwks-kid-number',
    title: 'Key set: kid is a number',
    why: 'kid must be a non-empty string.',
    expect: 'invalid_header',
    build: async (c) => ({ authorization: bearer(await keyToken(c, { kid: 1 })) }),
  }),
  jwks({
    name: 'jwks-kid-empty',
    title: 'Key set: empty kid',
    why: 'kid must be a non-empty string.',
    expect: 'invalid_header',
    build: async (c) => ({ authorization: bearer(await keyToken(c, { kid: '' })) }),
  }),
  jwks({
    name: 'jwks-crit',
    title: 'Key set: a crit header',
    why: 'Critical extensions are refused on every path.',
    expect: 'invalid_header',
    build: async (c) => ({ authorization: bearer(await keyToken(c, { header: { crit: ['exp'] } })) }),
  }),

  // ----- key -----
  jwks({
    name: 'jwks-unknown-kid',
    title: 'Key set: a kid the set does not have',
    why: 'After the one refetch the cool-down allows, an unknown kid is refused.',
    expect: 'unknown_key',
    preset: true,
    build: async (c) => ({ authorization: bearer(await keyToken(c, { kid: 'test-eddsa-retired', signKid: TEST_KID.eddsa })) }),
  }),
  jwks({
    name: 'jwks-embedded-jwk',
    title: 'Key set: the token brings its own key (jwk header)',
    why: 'Keys are never taken from the token: the attacker\'s embedded key and kid are not in the set.',
    expect: 'unknown_key',
    build: async (c) => ({
      authorization: bearer(await keyToken(c, { kid: TEST_KID.attacker, header: { jwk: { ...publicKey(TEST_PRIVATE_KEYS.attacker), kid: TEST_KID.attacker } } })),
    }),
  }),
  jwks({
    name: 'jwks-jku-x5u',
    title: 'Key set: jku and x5u point elsewhere',
    why: 'A backend never fetches keys from a URL the token names.',
    expect: 'unknown_key',
    build: async (c) => ({
      authorization: bearer(
        await keyToken(c, { kid: TEST_KID.attacker, header: { jku: 'http://127.0.0.1:9/jwks.json', x5u: 'http://127.0.0.1:9/cert.pem' } }),
      ),
    }),
  }),
  ...(
    [
      ['jwks-key-use-enc', 'a key marked "use": "enc"', TEST_KID.encryption, 'A key for encryption never verifies signatures.'],
      ['jwks-key-other-alg', 'a key whose alg is ES256', TEST_KID.otherAlg, "A key's alg must be absent or the token's."],
      ['jwks-key-ops-sign-only', 'a key without "verify" in key_ops', TEST_KID.signOnly, 'key_ops must be absent or contain "verify".'],
      ['jwks-key-wrong-type', 'an RSA key for an EdDSA token', TEST_KID.rs256, 'EdDSA needs an OKP Ed25519 key.'],
      ['jwks-key-wrong-curve', 'an X25519 key for an EdDSA token', TEST_KID.wrongCurve, 'X25519 is a key-agreement curve; EdDSA needs Ed25519.'],
    ] as const
  ).map(([name, what, kid, why]) =>
    jwks({
      name,
      title: `Key set: ${what}`,
      why,
      expect: 'unknown_key',
      build: async (c) => ({ authorization: bearer(await keyToken(c, { kid, signKid: TEST_KID.eddsa })) }),
    }),
  ),
  jwks({
    name: 'jwks-rsa-1024',
    title: 'Key set: an RSA key of 1024 bits',
    why: 'RSA keys under 2048 bits are not usable.',
    expect: 'unknown_key',
    algorithm: 'RS256',
    build: async (c) => ({ authorization: bearer(await keyToken(c, { kid: TEST_KID.smallRsa })) }),
  }),
  jwks({
    name: 'jwks-keys-unavailable',
    title: 'Key set: cannot be fetched',
    why: 'No key set was ever fetched and the fetch fails: the backend cannot judge the token. Temporary: 503.',
    expect: 'keys_unavailable',
    preset: true,
    notOverHttp: OWN_KEY_SET,
    build: async (c) => ({ authorization: bearer(await keyToken(c)), keys: 'unavailable' }),
  }),

  // ----- structure before the key set -----
  jwks({
    name: 'jwks-malformed-keys-unavailable',
    title: 'Key set: a malformed token while the key set is unavailable',
    why: 'Structural checks come before the key: a broken token is malformed_token, not 503.',
    expect: 'malformed_token',
    notOverHttp: OWN_KEY_SET,
    build: async () => ({ authorization: bearer('not.a-token'), keys: 'unavailable' }),
  }),

  // ----- signature -----
  jwks({
    name: 'jwks-wrong-key',
    title: 'Key set: signed by another key than its kid names',
    why: 'The kid says key 1, the signature is key 2\'s.',
    expect: 'bad_signature',
    build: async (c) => ({ authorization: bearer(await keyToken(c, { kid: TEST_KID.eddsa, signKid: TEST_KID.eddsaRotated })) }),
  }),
  jwks({
    name: 'jwks-embedded-jwk-real-kid',
    title: 'Key set: an embedded jwk with a real kid',
    why: 'The kid is in the set, so the set\'s key verifies; the attacker\'s signature fails.',
    expect: 'bad_signature',
    build: async (c) => ({
      authorization: bearer(await keyToken(c, { kid: TEST_KID.eddsa, signKid: TEST_KID.attacker, header: { jwk: publicKey(TEST_PRIVATE_KEYS.attacker) } })),
    }),
  }),
  jwks({
    name: 'jwks-tampered-payload',
    title: 'Key set: payload changed after signing',
    why: 'Any change to the signed bytes breaks the signature.',
    expect: 'bad_signature',
    build: async (c) => {
      const [header, , signature] = (await keyToken(c)).split('.');
      const forged = encodeBase64urlText(JSON.stringify(claimsFor(c, { role: 'admin' })));
      return { authorization: bearer(`${header}.${forged}.${signature}`) };
    },
  }),
  jwks({
    name: 'jwks-empty-signature',
    title: 'Key set: empty signature',
    why: 'An EdDSA token with no signature bytes.',
    expect: 'bad_signature',
    build: async (c) => ({ authorization: bearer((await keyToken(c)).replace(/[^.]+$/, '')) }),
  }),
  jwks({
    name: 'jwks-es256-der-signature',
    title: 'Key set: ES256 signature in DER',
    why: 'JWS ECDSA signatures are the raw r || s; the DER form many libraries output is a bad signature.',
    expect: 'bad_signature',
    algorithm: 'ES256',
    build: async (c) => {
      const [header, payload, signature] = (await keyToken(c)).split('.');
      const raw = decodeBase64url(signature!);
      if (!raw.ok) throw new Error('the test signer gave a broken signature');
      return { authorization: bearer(`${header}.${payload}.${encodeBase64url(derEcdsaSignature(raw.bytes))}`) };
    },
  }),

  // ----- claims, as on the secret path -----
  jwks({
    name: 'jwks-missing-email',
    title: 'Key set: definePayload dropped email',
    why: 'A definePayload may trim the payload, but it must keep email.',
    expect: 'missing_claim',
    build: async (c) => ({ authorization: bearer(await keyToken(c, { omit: ['email'] })) }),
  }),
  jwks({
    name: 'jwks-expired',
    title: 'Key set: expired',
    why: 'The same time rules on every path.',
    expect: 'token_expired',
    build: async (c) => ({ authorization: bearer(await keyToken(c, { claims: { iat: c.now - 1000, exp: c.now - 100 } })) }),
  }),
  jwks({
    name: 'jwks-wrong-audience',
    title: 'Key set: another audience',
    why: 'The JWT plugin sets aud to the app\'s URL unless jwt.audience says otherwise.',
    expect: 'wrong_audience',
    requires: { audience: true },
    build: async (c) => ({ authorization: bearer(await keyToken(c, { claims: { aud: 'http://localhost:3000' } })) }),
  }),
];
