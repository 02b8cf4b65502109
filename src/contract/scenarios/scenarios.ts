/**
 * Named scenarios: every row of the contract and the known attacks and edge cases, each a recipe that
 * mints its request for a given secret, clock and configuration. The conformance vectors, the
 * playground's presets, the docs' "try it" links and the conformance CLI all come from this list.
 * Each scenario states its expected answer; the tests check that the engine agrees.
 */
import { encodeBase64urlText } from '../codec/base64url.ts';
import type { Code, Status } from '../data/contract.ts';
import { contractClaims, flipSignatureBit, signClaims, signInput, signSegments, STANDARD_HEADER } from '../codec/sign.ts';
import type { VerdictRequest } from '../verifier/verify.ts';

/** The built-in test secret. Never use it anywhere real. */
export const TEST_SECRET = 'test-secret-NOT-FOR-PRODUCTION-0123456789abcdef';
/** A second test secret, for "signed with another secret". */
export const OTHER_TEST_SECRET = 'test-secret-OTHER-not-the-backends-0123456789abc';
/** The clock of the published vectors: 2026-01-01T00:00:00Z. */
export const VECTOR_NOW = 1767225600;
export const EXAMPLE_ISSUER = 'http://localhost:3000';
export const EXAMPLE_AUDIENCE = 'http://localhost:8000';
export const EXAMPLE_USER = 'user_123';
export const OTHER_USER = 'user_456';

export interface ScenarioContext {
  secret: string;
  now: number;
  /** The issuer the backend is configured with, or null. */
  issuer: string | null;
  /** The audience the backend is configured with, or null. */
  audience: string | null;
}

export interface Scenario {
  name: string;
  title: string;
  /** Why the answer is what it is, in a sentence. */
  why: string;
  /** The outcome's order in the contract (the failing check), or null for 200. */
  row: number | null;
  expected: { status: Status; code: Code | null };
  /** Offered as a preset in the playground. */
  preset?: boolean;
  /** What the backend's configuration must be for the scenario to mean what it says. */
  requires?: { issuer?: boolean; audience?: boolean };
  /** Why it cannot be replayed against a running backend over HTTP, if it cannot. */
  notOverHttp?: string;
  build(context: ScenarioContext): Promise<Partial<VerdictRequest>>;
}

type Claims = Record<string, unknown>;

function claimsFor(context: ScenarioContext, extra: Claims = {}, omit: string[] = []): Claims {
  const claims: Claims = {
    ...contractClaims({ now: context.now, issuer: context.issuer, audience: context.audience, sub: EXAMPLE_USER }),
    ...extra,
  };
  for (const name of omit) delete claims[name];
  return claims;
}

const bearer = (token: string) => `Bearer ${token}`;
const header = JSON.stringify(STANDARD_HEADER);

/** A valid token with some claims changed or removed. */
const token = (context: ScenarioContext, extra: Claims = {}, omit: string[] = []) => signClaims(claimsFor(context, extra, omit), context.secret);

/** A token whose payload JSON is written by hand (for values JSON.stringify cannot produce). */
function rawPayloadToken(context: ScenarioContext, name: string, rawValue: string): Promise<string> {
  const text = JSON.stringify(claimsFor(context, { [name]: '__RAW__' })).replace('"__RAW__"', rawValue);
  return signSegments(header, text, context.secret);
}

/** A token with this header object and valid claims, signed with HS256 over whatever the header says. */
const withHeader = (context: ScenarioContext, headerObject: Claims, signWith: 'HS256' | 'HS384' | 'HS512' | 'none' = 'HS256') =>
  signSegments(JSON.stringify(headerObject), JSON.stringify(claimsFor(context)), context.secret, signWith);

/** A token whose payload segment is rewritten (then signed, so only the rewrite is wrong). */
async function rewrittenPayload(context: ScenarioContext, extra: Claims, rewrite: (segment: string) => string): Promise<string> {
  const payload = rewrite(encodeBase64urlText(JSON.stringify(claimsFor(context, extra))));
  return signInput(`${encodeBase64urlText(header)}.${payload}`, context.secret);
}

/** A pad claim value that makes the payload segment's length not a multiple of 4 (so it has padding and spare bits). */
function unevenPad(context: ScenarioContext): string {
  let pad = 'x';
  while (encodeBase64urlText(JSON.stringify(claimsFor(context, { pad }))).length % 4 === 0) pad += 'x';
  return pad;
}

function base64Decoded(secret: string): Uint8Array {
  const clean = secret.replace(/-/g, '+').replace(/_/g, '/').replace(/[^A-Za-z0-9+/]/g, '');
  // A length of 4n + 1 cannot be base64: drop the last character, then pad what is left.
  const usable = clean.slice(0, clean.length - (clean.length % 4 === 1 ? 1 : 0));
  const binary = atob(usable.padEnd(Math.ceil(usable.length / 4) * 4, '='));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

const ok = { status: 200 as const, code: null };
const fail = (status: Status, code: Code) => ({ status, code });
const R = {
  secret: 0,
  duplicate: 1,
  missing: 2,
  malformed: 3,
  alg: 4,
  crit: 5,
  signature: 6,
  claims: 7,
  types: 8,
  expired: 9,
  future: 10,
  issuer: 11,
  audience: 12,
  user: 13,
  role: 14,
} as const;

export const SCENARIOS: readonly Scenario[] = [
  // ----- 200 -----
  {
    name: 'valid',
    title: 'Valid token',
    why: 'Signed with the backend secret, all claims present and current.',
    row: null,
    expected: ok,
    preset: true,
    build: async (c) => ({ authorization: bearer(await token(c)) }),
  },
  {
    name: 'valid-all-optional-claims',
    title: 'Valid token with nbf and role',
    why: 'Optional claims of the right types do not change the answer.',
    row: null,
    expected: ok,
    build: async (c) => ({ authorization: bearer(await token(c, { nbf: c.now - 5, role: 'user' })) }),
  },
  {
    name: 'valid-header-without-typ',
    title: 'Header without typ',
    why: 'typ is not checked; {"alg":"HS256"} alone is a valid header.',
    row: null,
    expected: ok,
    build: async (c) => ({ authorization: bearer(await withHeader(c, { alg: 'HS256' })) }),
  },
  {
    name: 'valid-unicode-claims',
    title: 'Unicode in claims',
    why: 'Claims are UTF-8 JSON; non-ASCII text is fine.',
    row: null,
    expected: ok,
    build: async (c) => ({ authorization: bearer(await token(c, { email: 'zoë@exämple.com', name: 'Zoë 🚀' })) }),
  },
  {
    name: 'valid-exp-float',
    title: 'exp with a fraction',
    why: 'NumericDate may be a non-integer number.',
    row: null,
    expected: ok,
    build: async (c) => ({ authorization: bearer(await token(c, { exp: c.now + 600.5 })) }),
  },
  {
    name: 'valid-deeply-nested-extra-claim',
    title: 'Deeply nested extra claim',
    why: 'Unknown claims are ignored, however nested (here 200 levels).',
    row: null,
    expected: ok,
    build: async (c) => {
      const text = JSON.stringify(claimsFor(c, { extra: '__RAW__' })).replace('"__RAW__"', '['.repeat(200) + ']'.repeat(200));
      return { authorization: bearer(await signSegments(header, text, c.secret)) };
    },
  },
  {
    name: 'lowercase-bearer',
    title: 'Lowercase "bearer"',
    why: 'The scheme is case-insensitive.',
    row: null,
    expected: ok,
    build: async (c) => ({ authorization: `bearer ${await token(c)}` }),
  },
  {
    name: 'uppercase-bearer',
    title: 'Uppercase "BEARER"',
    why: 'The scheme is case-insensitive.',
    row: null,
    expected: ok,
    build: async (c) => ({ authorization: `BEARER ${await token(c)}` }),
  },
  {
    name: 'several-spaces',
    title: 'Several spaces after Bearer',
    why: 'Scheme and token may be separated by one or more spaces.',
    row: null,
    expected: ok,
    build: async (c) => ({ authorization: `Bearer    ${await token(c)}` }),
  },
  {
    name: 'surrounding-whitespace',
    title: 'Whitespace around the header value',
    why: 'The value is trimmed of surrounding spaces and tabs.',
    row: null,
    expected: ok,
    build: async (c) => ({ authorization: ` \tBearer ${await token(c)} \t` }),
  },
  {
    name: 'kid-ignored',
    title: 'kid header (ignored)',
    why: 'kid never selects a key: there is one secret.',
    row: null,
    expected: ok,
    build: async (c) => ({ authorization: bearer(await withHeader(c, { ...STANDARD_HEADER, kid: '../../etc/passwd' })) }),
  },
  {
    name: 'jku-ignored',
    title: 'jku header (ignored)',
    why: 'jku is never fetched: no key comes from the token.',
    row: null,
    expected: ok,
    build: async (c) => ({ authorization: bearer(await withHeader(c, { ...STANDARD_HEADER, jku: 'https://attacker.example/jwks.json' })) }),
  },
  {
    name: 'x5u-ignored',
    title: 'x5u header (ignored)',
    why: 'x5u is never fetched.',
    row: null,
    expected: ok,
    build: async (c) => ({ authorization: bearer(await withHeader(c, { ...STANDARD_HEADER, x5u: 'https://attacker.example/cert.pem' })) }),
  },
  {
    name: 'jwk-ignored',
    title: 'Embedded jwk header (ignored)',
    why: 'A key embedded in the token is never used.',
    row: null,
    expected: ok,
    build: async (c) => ({
      authorization: bearer(await withHeader(c, { ...STANDARD_HEADER, jwk: { kty: 'oct', k: encodeBase64urlText('attacker-key') } })),
    }),
  },
  {
    name: 'exp-inside-leeway',
    title: 'Expired 10 s ago (inside the leeway)',
    why: 'A token is accepted until exp + 30 s.',
    row: null,
    expected: ok,
    build: async (c) => ({ authorization: bearer(await token(c, { iat: c.now - 910, exp: c.now - 10 })) }),
  },
  {
    name: 'exp-one-second-inside-leeway',
    title: 'exp + leeway is one second away',
    why: 'now = exp + 29 s is still inside the leeway.',
    row: null,
    expected: ok,
    notOverHttp: 'it needs the exact clock',
    build: async (c) => ({ authorization: bearer(await token(c, { iat: c.now - 929, exp: c.now - 29 })) }),
  },
  {
    name: 'iat-future-inside-leeway',
    title: 'iat 20 s in the future',
    why: 'Clock skew up to the leeway is tolerated.',
    row: null,
    expected: ok,
    build: async (c) => ({ authorization: bearer(await token(c, { iat: c.now + 20 })) }),
  },
  {
    name: 'iat-at-leeway-boundary',
    title: 'iat exactly 30 s in the future',
    why: 'iat ≤ now + leeway passes at equality.',
    row: null,
    expected: ok,
    notOverHttp: 'it needs the exact clock',
    build: async (c) => ({ authorization: bearer(await token(c, { iat: c.now + 30 })) }),
  },
  {
    name: 'nbf-future-inside-leeway',
    title: 'nbf 20 s in the future',
    why: 'Clock skew up to the leeway is tolerated.',
    row: null,
    expected: ok,
    build: async (c) => ({ authorization: bearer(await token(c, { nbf: c.now + 20 })) }),
  },
  {
    name: 'audience-array-contains',
    title: 'aud as an array that contains the API',
    why: 'aud may be an array of strings; one must be the configured audience.',
    row: null,
    expected: ok,
    requires: { audience: true },
    build: async (c) => ({ authorization: bearer(await token(c, { aud: ['https://other.example', c.audience] })) }),
  },
  {
    name: 'issuer-not-configured',
    title: 'Any iss when no issuer is configured',
    why: 'iss is checked only when the backend is configured with an issuer.',
    row: null,
    expected: ok,
    requires: { issuer: false },
    build: async (c) => ({ authorization: bearer(await token(c, { iss: 'https://anyone.example' })) }),
  },
  {
    name: 'audience-not-configured',
    title: 'Any aud when no audience is configured',
    why: 'aud is checked only when the backend is configured with an audience (PyJWT rejects this by default).',
    row: null,
    expected: ok,
    requires: { audience: false },
    build: async (c) => ({ authorization: bearer(await token(c, { aud: 'https://anyone.example' })) }),
  },
  {
    name: 'own-resource',
    title: "The user's own resource",
    why: 'The path user id equals sub.',
    row: null,
    expected: ok,
    build: async (c) => ({ authorization: bearer(await token(c)), pathUserId: EXAMPLE_USER }),
  },
  {
    name: 'role-list-contains',
    title: 'role "user,admin" on an admin route',
    why: 'role may be a comma-separated list (Better Auth admin plugin convention).',
    row: null,
    expected: ok,
    build: async (c) => ({ authorization: bearer(await token(c, { role: 'user,admin' })), requiredRole: 'admin' }),
  },
  {
    name: 'role-list-with-spaces',
    title: 'role "user, admin" on an admin route',
    why: 'Spaces around list items are ignored.',
    row: null,
    expected: ok,
    build: async (c) => ({ authorization: bearer(await token(c, { role: 'user, admin' })), requiredRole: 'admin' }),
  },

  // ----- 0: secret -----
  {
    name: 'no-secret',
    title: 'Backend without a secret',
    why: 'A backend without BETTER_AUTH_SECRET cannot verify anything (and should refuse to start).',
    row: R.secret,
    expected: fail(500, 'server_misconfigured'),
    notOverHttp: 'the backend under test has a secret',
    build: async (c) => ({ authorization: bearer(await token(c)), secret: null }),
  },
  {
    name: 'empty-secret',
    title: 'Backend with an empty secret',
    why: 'An empty BETTER_AUTH_SECRET counts as none.',
    row: R.secret,
    expected: fail(500, 'server_misconfigured'),
    notOverHttp: 'the backend under test has a secret',
    build: async (c) => ({ authorization: bearer(await token(c)), secret: '' }),
  },

  // ----- 1: duplicate credentials -----
  {
    name: 'two-authorization-headers',
    title: 'Two Authorization headers',
    why: 'Exactly one credential is allowed, even when both are valid.',
    row: R.duplicate,
    expected: fail(400, 'duplicate_credentials'),
    preset: true,
    build: async (c) => {
      const value = bearer(await token(c));
      return { authorization: [value, value] };
    },
  },
  {
    name: 'two-headers-one-empty',
    title: 'A valid header and an empty one',
    why: 'The count matters, not the content.',
    row: R.duplicate,
    expected: fail(400, 'duplicate_credentials'),
    build: async (c) => ({ authorization: [bearer(await token(c)), ''] }),
  },
  {
    name: 'duplicate-before-secret-problems',
    title: 'Two headers with expired tokens',
    why: 'Duplicate credentials are reported before anything about the tokens.',
    row: R.duplicate,
    expected: fail(400, 'duplicate_credentials'),
    build: async (c) => {
      const value = bearer(await token(c, { iat: c.now - 7200, exp: c.now - 3600 }));
      return { authorization: [value, value] };
    },
  },

  // ----- 2: missing token -----
  {
    name: 'no-authorization-header',
    title: 'No Authorization header',
    why: 'Without a credential the answer is a bare challenge, with no error attribute.',
    row: R.missing,
    expected: fail(401, 'missing_token'),
    preset: true,
    build: async () => ({ authorization: null }),
  },
  {
    name: 'empty-authorization-header',
    title: 'Empty Authorization header',
    why: 'An empty value carries no credential.',
    row: R.missing,
    expected: fail(401, 'missing_token'),
    build: async () => ({ authorization: '' }),
  },
  {
    name: 'basic-scheme',
    title: 'Basic scheme',
    why: 'Only the Bearer scheme is accepted.',
    row: R.missing,
    expected: fail(401, 'missing_token'),
    build: async () => ({ authorization: 'Basic dXNlcjpwYXNzd29yZA==' }),
  },
  {
    name: 'bearer-without-token',
    title: '"Bearer" with no token',
    why: 'An empty token is no token.',
    row: R.missing,
    expected: fail(401, 'missing_token'),
    build: async () => ({ authorization: 'Bearer' }),
  },
  {
    name: 'bearer-followed-by-spaces',
    title: '"Bearer" followed only by spaces',
    why: 'Trimmed, it is "Bearer" with no token.',
    row: R.missing,
    expected: fail(401, 'missing_token'),
    build: async () => ({ authorization: 'Bearer    ' }),
  },
  {
    name: 'token-without-scheme',
    title: 'Token without "Bearer "',
    why: 'The whole value is read as the scheme, which is not Bearer.',
    row: R.missing,
    expected: fail(401, 'missing_token'),
    build: async (c) => ({ authorization: await token(c) }),
  },
  {
    name: 'tab-after-bearer',
    title: 'A tab between Bearer and the token',
    why: 'Scheme and token must be separated by spaces; with a tab the scheme is not Bearer.',
    row: R.missing,
    expected: fail(401, 'missing_token'),
    build: async (c) => ({ authorization: `Bearer\t${await token(c)}` }),
  },
  {
    name: 'token-scheme',
    title: '"Token" scheme',
    why: 'Only the Bearer scheme is accepted.',
    row: R.missing,
    expected: fail(401, 'missing_token'),
    build: async (c) => ({ authorization: `Token ${await token(c)}` }),
  },
  {
    name: 'empty-header-list',
    title: 'An empty list of headers',
    why: 'No header at all.',
    row: R.missing,
    expected: fail(401, 'missing_token'),
    notOverHttp: 'it is the same request as no header',
    build: async () => ({ authorization: [] }),
  },

  // ----- 3: malformed -----
  {
    name: 'one-segment',
    title: 'Opaque session token (one segment)',
    why: "Better Auth's bearer plugin returns an opaque session token, not a JWT.",
    row: R.malformed,
    expected: fail(401, 'malformed_token'),
    build: async () => ({ authorization: 'Bearer Xk9fQ2mT7vLp3RbN8wYc1HsJ4dGa6EuZ' }),
  },
  {
    name: 'session-cookie-value',
    title: 'Session cookie value',
    why: 'The better-auth.session_token cookie is "id.signature" in standard base64, not a JWT.',
    row: R.malformed,
    expected: fail(401, 'malformed_token'),
    build: async () => ({ authorization: 'Bearer Xk9fQ2mT7vLp3RbN8wYc1HsJ4dGa6EuZ.q8Zr+4kP/0sLw3Xv9bNc2Yt7Hm1Ja6DfEgRuVo5iK0Q=' }),
  },
  {
    name: 'two-segments',
    title: 'Two segments',
    why: 'A JWS has exactly three segments; the signature is missing.',
    row: R.malformed,
    expected: fail(401, 'malformed_token'),
    preset: true,
    build: async (c) => ({ authorization: bearer((await token(c)).split('.').slice(0, 2).join('.')) }),
  },
  {
    name: 'four-segments',
    title: 'Four segments',
    why: 'A JWS has exactly three segments.',
    row: R.malformed,
    expected: fail(401, 'malformed_token'),
    build: async (c) => ({ authorization: bearer(`${await token(c)}.AAAA`) }),
  },
  {
    name: 'five-segments-jwe',
    title: 'Five segments (an encrypted JWT)',
    why: 'A JWE is not a signed token.',
    row: R.malformed,
    expected: fail(401, 'malformed_token'),
    build: async () => ({
      authorization: bearer(`${encodeBase64urlText('{"alg":"dir","enc":"A256GCM"}')}..${encodeBase64urlText('iv-bytes-here')}.${encodeBase64urlText('ciphertext')}.${encodeBase64urlText('tag-bytes-16')}`),
    }),
  },
  {
    name: 'empty-header-segment',
    title: 'Empty header segment',
    why: 'Header and payload must not be empty.',
    row: R.malformed,
    expected: fail(401, 'malformed_token'),
    build: async (c) => {
      const [, payload, signature] = (await token(c)).split('.');
      return { authorization: bearer(`.${payload}.${signature}`) };
    },
  },
  {
    name: 'padding',
    title: 'Base64 padding "="',
    why: 'Segments are unpadded base64url.',
    row: R.malformed,
    expected: fail(401, 'malformed_token'),
    build: async (c) => {
      const value = await rewrittenPayload(c, { pad: unevenPad(c) }, (segment) => segment + '='.repeat(4 - (segment.length % 4)));
      return { authorization: bearer(value) };
    },
  },
  {
    name: 'standard-base64',
    title: 'Standard base64 "+" and "/"',
    why: 'Segments use the base64url alphabet ("-" and "_"), not "+" and "/".',
    row: R.malformed,
    expected: fail(401, 'malformed_token'),
    build: async (c) => {
      const value = await rewrittenPayload(c, { note: '~~~~~~~~~???????' }, (segment) => segment.replace(/-/g, '+').replace(/_/g, '/'));
      return { authorization: bearer(value) };
    },
  },
  {
    name: 'space-inside-token',
    title: 'A space inside the token',
    why: 'Whitespace is not base64url (a token wrapped over two lines gets this).',
    row: R.malformed,
    expected: fail(401, 'malformed_token'),
    build: async (c) => {
      const value = await token(c);
      const middle = value.indexOf('.') + 10;
      return { authorization: bearer(`${value.slice(0, middle)} ${value.slice(middle)}`) };
    },
  },
  {
    name: 'non-canonical-base64',
    title: 'Stray bits in the last character',
    why: 'Only canonical base64url is accepted: two spellings must not decode to the same bytes.',
    row: R.malformed,
    expected: fail(401, 'malformed_token'),
    build: async (c) => {
      const pad = unevenPad(c);
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      // A canonical last character of a 4n+2 or 4n+3 text has zero low bits; setting one makes it non-canonical.
      const value = await rewrittenPayload(c, { pad }, (segment) => segment.slice(0, -1) + alphabet[alphabet.indexOf(segment.at(-1)!) | 1]);
      return { authorization: bearer(value) };
    },
  },
  {
    name: 'impossible-length',
    title: 'A segment of impossible length',
    why: 'No base64url text has a length of 4n + 1.',
    row: R.malformed,
    expected: fail(401, 'malformed_token'),
    build: async (c) => {
      const value = await rewrittenPayload(c, {}, (segment) => segment + 'AAAA'.slice(0, [1, 0, 3, 2][segment.length % 4]));
      return { authorization: bearer(value) };
    },
  },
  {
    name: 'payload-not-json',
    title: 'Payload is not JSON',
    why: 'The payload must decode to a JSON object.',
    row: R.malformed,
    expected: fail(401, 'malformed_token'),
    build: async (c) => ({ authorization: bearer(await signSegments(header, 'hello, world', c.secret)) }),
  },
  {
    name: 'payload-json-array',
    title: 'Payload is a JSON array',
    why: 'The payload must be a JSON object.',
    row: R.malformed,
    expected: fail(401, 'malformed_token'),
    build: async (c) => ({ authorization: bearer(await signSegments(header, JSON.stringify([claimsFor(c)]), c.secret)) }),
  },
  {
    name: 'payload-json-string',
    title: 'Payload is a JSON string',
    why: 'The payload must be a JSON object.',
    row: R.malformed,
    expected: fail(401, 'malformed_token'),
    build: async (c) => ({ authorization: bearer(await signSegments(header, '"user_123"', c.secret)) }),
  },
  {
    name: 'header-json-null',
    title: 'Header is JSON null',
    why: 'The header must be a JSON object.',
    row: R.malformed,
    expected: fail(401, 'malformed_token'),
    build: async (c) => ({ authorization: bearer(await signSegments('null', JSON.stringify(claimsFor(c)), c.secret)) }),
  },
  {
    name: 'payload-nan-literal',
    title: 'NaN in the payload',
    why: 'NaN is not JSON (Python\'s json module accepts it by default).',
    row: R.malformed,
    expected: fail(401, 'malformed_token'),
    build: async (c) => ({ authorization: bearer(await rawPayloadToken(c, 'exp', 'NaN')) }),
  },
  {
    name: 'payload-invalid-utf8',
    title: 'Payload bytes are not UTF-8',
    why: 'JSON text is UTF-8.',
    row: R.malformed,
    expected: fail(401, 'malformed_token'),
    build: async (c) => ({ authorization: bearer(await signSegments(header, new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), c.secret)) }),
  },
  {
    name: 'payload-with-bom',
    title: 'Payload starts with a byte order mark',
    why: 'A BOM is not part of JSON text.',
    row: R.malformed,
    expected: fail(401, 'malformed_token'),
    build: async (c) => ({ authorization: bearer(await signSegments(header, `\ufeff${JSON.stringify(claimsFor(c))}`, c.secret)) }),
  },
  {
    name: 'payload-nested-too-deep',
    title: 'Payload nested 300 levels deep',
    why: 'JSON may nest at most 256 levels: parsers differ beyond that, so every implementation draws the same line.',
    row: R.malformed,
    expected: fail(401, 'malformed_token'),
    build: async (c) => {
      const text = JSON.stringify(claimsFor(c, { extra: '__RAW__' })).replace('"__RAW__"', '['.repeat(299) + ']'.repeat(299));
      return { authorization: bearer(await signSegments(header, text, c.secret)) };
    },
  },
  {
    name: 'long-garbage',
    title: '12,000 characters of garbage',
    why: 'Long input gets the same clear answer, never an error page.',
    row: R.malformed,
    expected: fail(401, 'malformed_token'),
    build: async () => ({ authorization: bearer(`${'x'.repeat(4000)}.${'%'.repeat(4000)}.${'y'.repeat(4000)}`) }),
  },
  {
    name: 'non-ascii-in-token',
    title: 'Non-ASCII characters in the token',
    why: 'Only [A-Za-z0-9_-] may appear in a segment.',
    row: R.malformed,
    expected: fail(401, 'malformed_token'),
    notOverHttp: 'HTTP clients refuse non-ASCII header values',
    build: async () => ({ authorization: 'Bearer ëyJhbGciOiJIUzI1NiJ9.e30.🙂' }),
  },

  // ----- 4: alg -----
  ...(['none', 'None', 'NONE'] as const).map(
    (alg): Scenario => ({
      name: `alg-${alg === 'none' ? 'none' : alg === 'None' ? 'none-capitalised' : 'none-uppercase'}`,
      title: `alg "${alg}"`,
      why: 'An unsigned token must never be accepted, whatever the spelling.',
      row: R.alg,
      expected: fail(401, 'unsupported_alg'),
      preset: alg === 'none',
      build: async (c) => ({ authorization: bearer(await withHeader(c, { alg, typ: 'JWT' }, 'none')) }),
    }),
  ),
  {
    name: 'alg-none-with-valid-signature',
    title: 'alg "none" with a valid HS256 signature',
    why: 'The header alone decides: alg must be exactly HS256.',
    row: R.alg,
    expected: fail(401, 'unsupported_alg'),
    build: async (c) => ({ authorization: bearer(await withHeader(c, { alg: 'none', typ: 'JWT' })) }),
  },
  ...(['HS384', 'HS512'] as const).map(
    (alg): Scenario => ({
      name: `alg-${alg.toLowerCase()}`,
      title: `alg ${alg}, signed with ${alg} and the same secret`,
      why: 'Only HS256 is accepted, even with a correct signature of another HMAC.',
      row: R.alg,
      expected: fail(401, 'unsupported_alg'),
      preset: alg === 'HS512',
      build: async (c) => ({ authorization: bearer(await withHeader(c, { alg, typ: 'JWT' }, alg)) }),
    }),
  ),
  ...(['RS256', 'ES256', 'EdDSA'] as const).map(
    (alg): Scenario => ({
      name: `alg-${alg.toLowerCase()}`,
      title: `alg ${alg} (key confusion)`,
      why: 'An asymmetric alg with an HMAC signature is the classic key-confusion attack; alg is pinned to HS256.',
      row: R.alg,
      expected: fail(401, 'unsupported_alg'),
      build: async (c) => ({ authorization: bearer(await withHeader(c, { alg, typ: 'JWT' })) }),
    }),
  ),
  {
    name: 'alg-missing',
    title: 'No alg in the header',
    why: 'alg is required and must be HS256.',
    row: R.alg,
    expected: fail(401, 'unsupported_alg'),
    build: async (c) => ({ authorization: bearer(await withHeader(c, { typ: 'JWT' })) }),
  },
  {
    name: 'alg-lowercase',
    title: 'alg "hs256"',
    why: 'alg is compared exactly, case included.',
    row: R.alg,
    expected: fail(401, 'unsupported_alg'),
    build: async (c) => ({ authorization: bearer(await withHeader(c, { alg: 'hs256', typ: 'JWT' })) }),
  },
  {
    name: 'alg-array',
    title: 'alg ["HS256"]',
    why: 'alg must be the string "HS256".',
    row: R.alg,
    expected: fail(401, 'unsupported_alg'),
    build: async (c) => ({ authorization: bearer(await withHeader(c, { alg: ['HS256'], typ: 'JWT' })) }),
  },
  {
    name: 'alg-before-signature',
    title: 'alg none and no valid claims',
    why: 'The alg check comes before the signature and the claims.',
    row: R.alg,
    expected: fail(401, 'unsupported_alg'),
    build: async () => ({ authorization: bearer(`${encodeBase64urlText('{"alg":"none"}')}.${encodeBase64urlText('{}')}.`) }),
  },

  // ----- 5: crit -----
  {
    name: 'crit-header',
    title: 'crit header',
    why: 'The backend understands no extensions, so any crit is rejected.',
    row: R.crit,
    expected: fail(401, 'invalid_header'),
    build: async (c) => ({ authorization: bearer(await withHeader(c, { ...STANDARD_HEADER, crit: ['exp'] })) }),
  },
  {
    name: 'crit-empty',
    title: 'crit: []',
    why: 'Even an empty crit is rejected.',
    row: R.crit,
    expected: fail(401, 'invalid_header'),
    build: async (c) => ({ authorization: bearer(await withHeader(c, { ...STANDARD_HEADER, crit: [] })) }),
  },
  {
    name: 'crit-b64-false',
    title: 'Unencoded payload option (b64: false)',
    why: 'RFC 7797 needs crit; crit is rejected.',
    row: R.crit,
    expected: fail(401, 'invalid_header'),
    build: async (c) => ({ authorization: bearer(await withHeader(c, { ...STANDARD_HEADER, b64: false, crit: ['b64'] })) }),
  },

  // ----- 6: signature -----
  {
    name: 'wrong-secret',
    title: 'Signed with another secret',
    why: 'The signature only matches with the backend\'s BETTER_AUTH_SECRET.',
    row: R.signature,
    expected: fail(401, 'bad_signature'),
    preset: true,
    build: async (c) => ({ authorization: bearer(await signClaims(claimsFor(c), c.secret === OTHER_TEST_SECRET ? TEST_SECRET : OTHER_TEST_SECRET)) }),
  },
  {
    name: 'empty-signature',
    title: 'Empty signature',
    why: 'The signature segment may be empty, and then fails the signature check.',
    row: R.signature,
    expected: fail(401, 'bad_signature'),
    build: async (c) => ({ authorization: bearer((await token(c)).replace(/[^.]+$/, '')) }),
  },
  {
    name: 'flipped-signature-bit',
    title: 'One signature bit flipped',
    why: 'Any change to the signature fails it.',
    row: R.signature,
    expected: fail(401, 'bad_signature'),
    build: async (c) => ({ authorization: bearer(flipSignatureBit(await token(c))) }),
  },
  {
    name: 'short-signature',
    title: 'A 16-byte signature',
    why: 'HMAC-SHA256 signatures are 32 bytes; truncated signatures fail.',
    row: R.signature,
    expected: fail(401, 'bad_signature'),
    build: async (c) => ({ authorization: bearer((await token(c)).replace(/[^.]+$/, 'A'.repeat(22))) }),
  },
  {
    name: 'tampered-payload',
    title: 'Payload changed after signing',
    why: 'Changing sub (or anything else) breaks the signature.',
    row: R.signature,
    expected: fail(401, 'bad_signature'),
    build: async (c) => {
      const [h, , s] = (await token(c)).split('.');
      return { authorization: bearer(`${h}.${encodeBase64urlText(JSON.stringify(claimsFor(c, { sub: 'admin', role: 'admin' })))}.${s}`) };
    },
  },
  {
    name: 'secret-with-trailing-newline',
    title: 'Signed with the secret plus a newline',
    why: 'The key is the exact UTF-8 bytes of the secret; a trailing newline is another key.',
    row: R.signature,
    expected: fail(401, 'bad_signature'),
    build: async (c) => ({ authorization: bearer(await signClaims(claimsFor(c), `${c.secret}\n`)) }),
  },
  {
    name: 'backend-secret-with-trailing-newline',
    title: 'The backend\'s secret has a trailing newline',
    why: 'The backend must not trim its secret either: it is a different key.',
    row: R.signature,
    expected: fail(401, 'bad_signature'),
    notOverHttp: 'the backend under test has its own secret',
    build: async (c) => ({ authorization: bearer(await token(c)), secret: `${c.secret}\n` }),
  },
  {
    name: 'secret-base64-decoded',
    title: 'Signed with the base64-decoded secret',
    why: 'BETTER_AUTH_SECRET is used as text, never base64-decoded, even when it looks like base64.',
    row: R.signature,
    expected: fail(401, 'bad_signature'),
    build: async (c) => ({ authorization: bearer(await signClaims(claimsFor(c), base64Decoded(c.secret))) }),
  },
  {
    name: 'signature-before-claims',
    title: 'Bad signature on an expired token without sub',
    why: 'The signature is checked before any claim is trusted or reported.',
    row: R.signature,
    expected: fail(401, 'bad_signature'),
    build: async (c) => ({ authorization: bearer(await signClaims(claimsFor(c, { exp: c.now - 3600 }, ['sub']), OTHER_TEST_SECRET)) }),
  },

  // ----- 7: missing claims -----
  ...(['sub', 'email', 'iat', 'exp'] as const).map(
    (claim): Scenario => ({
      name: `missing-${claim}`,
      title: `No ${claim} claim`,
      why: `${claim} is required.`,
      row: R.claims,
      expected: fail(401, 'missing_claim'),
      preset: claim === 'sub' || claim === 'email',
      build: async (c) => ({ authorization: bearer(await token(c, {}, [claim])) }),
    }),
  ),
  {
    name: 'empty-payload',
    title: 'Empty payload {}',
    why: 'All four required claims are missing; sub is reported first.',
    row: R.claims,
    expected: fail(401, 'missing_claim'),
    build: async (c) => ({ authorization: bearer(await signSegments(header, '{}', c.secret)) }),
  },
  {
    name: 'cookie-cache-token',
    title: 'Better Auth cookie-cache JWT',
    why: 'Better Auth signs its cookie cache (strategy "jwt") with the same secret; it has no top-level sub or email, so it is refused.',
    row: R.claims,
    expected: fail(401, 'missing_claim'),
    build: async (c) => {
      const payload = {
        session: { id: 'sess_1', token: 'Xk9fQ2mT7vLp3RbN8wYc1HsJ4dGa6EuZ', userId: EXAMPLE_USER },
        user: { id: EXAMPLE_USER, email: 'ada@example.com', name: 'Ada' },
        updatedAt: c.now * 1000,
        version: '1',
        iat: c.now,
        exp: c.now + 300,
      };
      return { authorization: bearer(await signSegments('{"alg":"HS256"}', JSON.stringify(payload), c.secret)) };
    },
  },

  // ----- 8: claim types -----
  {
    name: 'empty-sub',
    title: 'sub is an empty string',
    why: 'sub must be a non-empty string.',
    row: R.types,
    expected: fail(401, 'invalid_claim'),
    build: async (c) => ({ authorization: bearer(await token(c, { sub: '' })) }),
  },
  {
    name: 'sub-number',
    title: 'sub is a number',
    why: 'sub must be a string.',
    row: R.types,
    expected: fail(401, 'invalid_claim'),
    build: async (c) => ({ authorization: bearer(await token(c, { sub: 123 })) }),
  },
  {
    name: 'email-null',
    title: 'email is null',
    why: 'A present claim with the wrong type is invalid, not missing.',
    row: R.types,
    expected: fail(401, 'invalid_claim'),
    build: async (c) => ({ authorization: bearer(await token(c, { email: null })) }),
  },
  {
    name: 'exp-string',
    title: 'exp is a string',
    why: 'NumericDate is a JSON number, not a string of digits.',
    row: R.types,
    expected: fail(401, 'invalid_claim'),
    build: async (c) => ({ authorization: bearer(await token(c, { exp: String(c.now + 900) })) }),
  },
  {
    name: 'exp-null',
    title: 'exp is null',
    why: 'NumericDate is a number.',
    row: R.types,
    expected: fail(401, 'invalid_claim'),
    build: async (c) => ({ authorization: bearer(await token(c, { exp: null })) }),
  },
  {
    name: 'exp-1e400',
    title: 'exp is 1e400',
    why: 'It overflows to infinity (a token that never expires); only finite numbers are accepted.',
    row: R.types,
    expected: fail(401, 'invalid_claim'),
    build: async (c) => ({ authorization: bearer(await rawPayloadToken(c, 'exp', '1e400')) }),
  },
  {
    name: 'exp-huge-integer',
    title: 'exp is a 401-digit integer',
    why: 'As a double it is infinite, whatever the language keeps internally.',
    row: R.types,
    expected: fail(401, 'invalid_claim'),
    build: async (c) => ({ authorization: bearer(await rawPayloadToken(c, 'exp', `1${'0'.repeat(400)}`)) }),
  },
  {
    name: 'iat-boolean',
    title: 'iat is true',
    why: 'A boolean is not a number (Python treats True as 1).',
    row: R.types,
    expected: fail(401, 'invalid_claim'),
    build: async (c) => ({ authorization: bearer(await token(c, { iat: true })) }),
  },
  {
    name: 'nbf-string',
    title: 'nbf is a string',
    why: 'When present, nbf must be a number.',
    row: R.types,
    expected: fail(401, 'invalid_claim'),
    build: async (c) => ({ authorization: bearer(await token(c, { nbf: 'yesterday' })) }),
  },
  {
    name: 'role-array',
    title: 'role is an array',
    why: 'role is a string (comma-separated for several roles).',
    row: R.types,
    expected: fail(401, 'invalid_claim'),
    build: async (c) => ({ authorization: bearer(await token(c, { role: ['admin'] })), requiredRole: 'admin' }),
  },

  // ----- 9: expired -----
  {
    name: 'expired',
    title: 'Expired an hour ago',
    why: 'now is past exp + leeway.',
    row: R.expired,
    expected: fail(401, 'token_expired'),
    preset: true,
    build: async (c) => ({ authorization: bearer(await token(c, { iat: c.now - 4500, exp: c.now - 3600 })) }),
  },
  {
    name: 'exp-at-leeway-boundary',
    title: 'now = exp + leeway exactly',
    why: 'A token is valid while now < exp + leeway; at equality it has expired.',
    row: R.expired,
    expected: fail(401, 'token_expired'),
    notOverHttp: 'it needs the exact clock',
    build: async (c) => ({ authorization: bearer(await token(c, { iat: c.now - 930, exp: c.now - 30 })) }),
  },
  {
    name: 'exp-past-leeway',
    title: 'Expired 40 s ago',
    why: '10 s beyond the 30 s leeway.',
    row: R.expired,
    expected: fail(401, 'token_expired'),
    build: async (c) => ({ authorization: bearer(await token(c, { iat: c.now - 940, exp: c.now - 40 })) }),
  },
  {
    name: 'exp-zero',
    title: 'exp is 0',
    why: '1970 is long past.',
    row: R.expired,
    expected: fail(401, 'token_expired'),
    build: async (c) => ({ authorization: bearer(await token(c, { exp: 0 })) }),
  },
  {
    name: 'expired-and-from-the-future',
    title: 'Expired and issued in the future',
    why: 'Expiry is checked before iat and nbf.',
    row: R.expired,
    expected: fail(401, 'token_expired'),
    build: async (c) => ({ authorization: bearer(await token(c, { iat: c.now + 3600, exp: c.now - 3600 })) }),
  },
  {
    name: 'zero-leeway',
    title: 'exp = now with no leeway',
    why: 'With a leeway of 0 the token expires at exp exactly.',
    row: R.expired,
    expected: fail(401, 'token_expired'),
    notOverHttp: 'the backend under test has its own leeway',
    build: async (c) => ({ authorization: bearer(await token(c, { iat: c.now - 900, exp: c.now })), leeway: 0 }),
  },

  // ----- 10: not yet valid -----
  {
    name: 'iat-future',
    title: 'iat 5 minutes in the future',
    why: "The issuer's clock is ahead of the backend's by more than the leeway.",
    row: R.future,
    expected: fail(401, 'token_not_yet_valid'),
    preset: true,
    build: async (c) => ({ authorization: bearer(await token(c, { iat: c.now + 300, exp: c.now + 1200 })) }),
  },
  {
    name: 'iat-one-second-past-leeway',
    title: 'iat 31 s in the future',
    why: 'One second beyond the leeway.',
    row: R.future,
    expected: fail(401, 'token_not_yet_valid'),
    notOverHttp: 'it needs the exact clock',
    build: async (c) => ({ authorization: bearer(await token(c, { iat: c.now + 31 })) }),
  },
  {
    name: 'iat-future-beyond-leeway',
    title: 'iat 2 minutes in the future',
    why: 'Beyond the 30 s leeway.',
    row: R.future,
    expected: fail(401, 'token_not_yet_valid'),
    build: async (c) => ({ authorization: bearer(await token(c, { iat: c.now + 120 })) }),
  },
  {
    name: 'nbf-future',
    title: 'nbf 10 minutes in the future',
    why: 'The token is not valid before nbf (minus the leeway).',
    row: R.future,
    expected: fail(401, 'token_not_yet_valid'),
    preset: true,
    build: async (c) => ({ authorization: bearer(await token(c, { nbf: c.now + 600 })) }),
  },

  // ----- 11: issuer -----
  {
    name: 'wrong-issuer',
    title: 'Another issuer',
    why: 'iss must equal the configured Better Auth base URL.',
    row: R.issuer,
    expected: fail(401, 'wrong_issuer'),
    preset: true,
    requires: { issuer: true },
    build: async (c) => ({ authorization: bearer(await token(c, { iss: 'https://evil.example' })) }),
  },
  {
    name: 'missing-issuer',
    title: 'No iss while an issuer is configured',
    why: 'When the backend checks iss, a token without one fails.',
    row: R.issuer,
    expected: fail(401, 'wrong_issuer'),
    requires: { issuer: true },
    build: async (c) => ({ authorization: bearer(await token(c, {}, ['iss'])) }),
  },
  {
    name: 'issuer-trailing-slash',
    title: 'iss with a trailing slash',
    why: 'iss is compared exactly: "http://localhost:3000/" is not "http://localhost:3000".',
    row: R.issuer,
    expected: fail(401, 'wrong_issuer'),
    requires: { issuer: true },
    build: async (c) => ({ authorization: bearer(await token(c, { iss: `${c.issuer}/` })) }),
  },

  // ----- 12: audience -----
  {
    name: 'wrong-audience',
    title: 'Another audience',
    why: 'aud must name this API.',
    row: R.audience,
    expected: fail(401, 'wrong_audience'),
    preset: true,
    requires: { audience: true },
    build: async (c) => ({ authorization: bearer(await token(c, { aud: 'https://other-api.example' })) }),
  },
  {
    name: 'missing-audience',
    title: 'No aud while an audience is configured',
    why: 'When the backend checks aud, a token without one fails.',
    row: R.audience,
    expected: fail(401, 'wrong_audience'),
    requires: { audience: true },
    build: async (c) => ({ authorization: bearer(await token(c, {}, ['aud'])) }),
  },
  {
    name: 'audience-array-without',
    title: 'aud array without this API',
    why: 'The array must contain the configured audience.',
    row: R.audience,
    expected: fail(401, 'wrong_audience'),
    requires: { audience: true },
    build: async (c) => ({ authorization: bearer(await token(c, { aud: ['https://a.example', 'https://b.example'] })) }),
  },
  {
    name: 'audience-array-with-non-string',
    title: 'aud array with a number in it',
    why: 'aud must be a string or an array of strings.',
    row: R.audience,
    expected: fail(401, 'wrong_audience'),
    requires: { audience: true },
    build: async (c) => ({ authorization: bearer(await token(c, { aud: [c.audience, 42] })) }),
  },

  // ----- 13: user -----
  {
    name: 'other-users-resource',
    title: "Another user's resource",
    why: 'The token is valid, but the path names another user: 403, not 401.',
    row: R.user,
    expected: fail(403, 'user_mismatch'),
    preset: true,
    build: async (c) => ({ authorization: bearer(await token(c)), pathUserId: OTHER_USER }),
  },
  {
    name: 'user-before-role',
    title: "Another user's resource, without the role",
    why: 'The user check comes before the role check.',
    row: R.user,
    expected: fail(403, 'user_mismatch'),
    notOverHttp: 'the reference routes never need a user and a role at once',
    build: async (c) => ({ authorization: bearer(await token(c, { role: 'user' })), pathUserId: OTHER_USER, requiredRole: 'admin' }),
  },

  // ----- 14: role -----
  {
    name: 'missing-role',
    title: 'Role "user" on an admin route',
    why: 'Signed in, but not allowed: 403.',
    row: R.role,
    expected: fail(403, 'insufficient_role'),
    preset: true,
    build: async (c) => ({ authorization: bearer(await token(c, { role: 'user' })), requiredRole: 'admin' }),
  },
  {
    name: 'no-role-claim',
    title: 'No role claim on an admin route',
    why: 'Without a role claim, no role is held.',
    row: R.role,
    expected: fail(403, 'insufficient_role'),
    build: async (c) => ({ authorization: bearer(await token(c)), requiredRole: 'admin' }),
  },
  {
    name: 'role-case-differs',
    title: 'Role "Admin" on an "admin" route',
    why: 'Roles are compared exactly, case included.',
    row: R.role,
    expected: fail(403, 'insufficient_role'),
    build: async (c) => ({ authorization: bearer(await token(c, { role: 'Admin' })), requiredRole: 'admin' }),
  },
  {
    name: 'role-substring',
    title: 'Role "superadmin" on an "admin" route',
    why: 'A list item must equal the role; containing it is not enough.',
    row: R.role,
    expected: fail(403, 'insufficient_role'),
    build: async (c) => ({ authorization: bearer(await token(c, { role: 'superadmin' })), requiredRole: 'admin' }),
  },
];

export function scenarioByName(name: string): Scenario | undefined {
  return SCENARIOS.find((scenario) => scenario.name === name);
}

/** The configuration a scenario runs under in the published vectors. */
export function vectorContext(scenario: Scenario, secret = TEST_SECRET, now = VECTOR_NOW): ScenarioContext {
  return {
    secret,
    now,
    issuer: scenario.requires?.issuer === false ? null : EXAMPLE_ISSUER,
    audience: scenario.requires?.audience === false ? null : EXAMPLE_AUDIENCE,
  };
}

/** The complete verdict request of a scenario under a context. */
export async function scenarioRequest(scenario: Scenario, context: ScenarioContext): Promise<VerdictRequest> {
  const request: VerdictRequest = { authorization: null, secret: context.secret, now: context.now };
  if (context.issuer) request.issuer = context.issuer;
  if (context.audience) request.audience = context.audience;
  return { ...request, ...(await scenario.build(context)) };
}

/** The scenario the docs link to for each outcome, and for 200. */
export const EXAMPLE_SCENARIO: Record<Code | 'ok', string> = {
  ok: 'valid',
  server_misconfigured: 'no-secret',
  duplicate_credentials: 'two-authorization-headers',
  missing_token: 'no-authorization-header',
  malformed_token: 'two-segments',
  unsupported_alg: 'alg-none',
  invalid_header: 'crit-header',
  bad_signature: 'wrong-secret',
  missing_claim: 'missing-sub',
  invalid_claim: 'exp-string',
  token_expired: 'expired',
  token_not_yet_valid: 'iat-future',
  wrong_issuer: 'wrong-issuer',
  wrong_audience: 'wrong-audience',
  user_mismatch: 'other-users-resource',
  insufficient_role: 'missing-role',
};
