/** The token's shape (check structure): segments, base64url, JSON objects. */
import { encodeBase64urlText } from '../codec/base64url.ts';
import { signSegments } from '../codec/sign.ts';
import { type ScenarioSeed, claimsFor, bearer, standardHeaderJson, token, rawPayloadToken, rewrittenPayload, unevenPad } from './builders.ts';

export const structure: readonly ScenarioSeed[] = [
  {
    name: 'one-segment',
    title: 'Bare session token (one segment)',
    why: "Better Auth's session token as sign-in returns it (32 characters, no dots): a database key, not a JWT.",
    expect: 'malformed_token',
    build: async () => ({ authorization: 'Bearer Xk9fQ2mT7vLp3RbN8wYc1HsJ4dGa6EuZ' }),
  },
  {
    name: 'session-cookie-value',
    title: 'Session cookie value (or set-auth-token)',
    why: 'The better-auth.session_token cookie, which the bearer plugin also sends as set-auth-token, is "<session token>.<signature>" with a standard-base64 signature: not a JWT.',
    expect: 'malformed_token',
    build: async () => ({ authorization: 'Bearer Xk9fQ2mT7vLp3RbN8wYc1HsJ4dGa6EuZ.q8Zr+4kP/0sLw3Xv9bNc2Yt7Hm1Ja6DfEgRuVo5iK0Q=' }),
  },
  {
    name: 'two-segments',
    title: 'Two segments',
    why: 'A JWS has exactly three segments; the signature is missing.',
    expect: 'malformed_token',
    preset: true,
    build: async (c) => ({ authorization: bearer((await token(c)).split('.').slice(0, 2).join('.')) }),
  },
  {
    name: 'four-segments',
    title: 'Four segments',
    why: 'A JWS has exactly three segments.',
    expect: 'malformed_token',
    build: async (c) => ({ authorization: bearer(`${await token(c)}.AAAA`) }),
  },
  {
    name: 'five-segments-jwe',
    title: 'Five segments (an encrypted JWT)',
    why: 'A JWE is not a signed token.',
    expect: 'malformed_token',
    build: async () => ({
      authorization: bearer(`${encodeBase64urlText('{"alg":"dir","enc":"A256GCM"}')}..${encodeBase64urlText('iv-bytes-here')}.${encodeBase64urlText('ciphertext')}.${encodeBase64urlText('tag-bytes-16')}`),
    }),
  },
  {
    name: 'empty-header-segment',
    title: 'Empty header segment',
    why: 'Header and payload must not be empty.',
    expect: 'malformed_token',
    build: async (c) => {
      const [, payload, signature] = (await token(c)).split('.');
      return { authorization: bearer(`.${payload}.${signature}`) };
    },
  },
  {
    name: 'padding',
    title: 'Base64 padding "="',
    why: 'Segments are unpadded base64url.',
    expect: 'malformed_token',
    build: async (c) => {
      const value = await rewrittenPayload(c, { pad: unevenPad(c) }, (segment) => segment + '='.repeat(4 - (segment.length % 4)));
      return { authorization: bearer(value) };
    },
  },
  {
    name: 'standard-base64',
    title: 'Standard base64 "+" and "/"',
    why: 'Segments use the base64url alphabet ("-" and "_"), not "+" and "/".',
    expect: 'malformed_token',
    build: async (c) => {
      const value = await rewrittenPayload(c, { note: '~~~~~~~~~???????' }, (segment) => segment.replace(/-/g, '+').replace(/_/g, '/'));
      return { authorization: bearer(value) };
    },
  },
  {
    name: 'space-inside-token',
    title: 'A space inside the token',
    why: 'Whitespace is not base64url (a token wrapped over two lines gets this).',
    expect: 'malformed_token',
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
    expect: 'malformed_token',
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
    expect: 'malformed_token',
    build: async (c) => {
      const value = await rewrittenPayload(c, {}, (segment) => segment + 'AAAA'.slice(0, [1, 0, 3, 2][segment.length % 4]));
      return { authorization: bearer(value) };
    },
  },
  {
    name: 'payload-not-json',
    title: 'Payload is not JSON',
    why: 'The payload must decode to a JSON object.',
    expect: 'malformed_token',
    build: async (c) => ({ authorization: bearer(await signSegments(standardHeaderJson, 'hello, world', c.secret)) }),
  },
  {
    name: 'payload-json-array',
    title: 'Payload is a JSON array',
    why: 'The payload must be a JSON object.',
    expect: 'malformed_token',
    build: async (c) => ({ authorization: bearer(await signSegments(standardHeaderJson, JSON.stringify([claimsFor(c)]), c.secret)) }),
  },
  {
    name: 'payload-json-string',
    title: 'Payload is a JSON string',
    why: 'The payload must be a JSON object.',
    expect: 'malformed_token',
    build: async (c) => ({ authorization: bearer(await signSegments(standardHeaderJson, '"user_123"', c.secret)) }),
  },
  {
    name: 'header-json-null',
    title: 'Header is JSON null',
    why: 'The header must be a JSON object.',
    expect: 'malformed_token',
    build: async (c) => ({ authorization: bearer(await signSegments('null', JSON.stringify(claimsFor(c)), c.secret)) }),
  },
  {
    name: 'payload-nan-literal',
    title: 'NaN in the payload',
    why: 'NaN is not JSON (Python\'s json module accepts it by default).',
    expect: 'malformed_token',
    build: async (c) => ({ authorization: bearer(await rawPayloadToken(c, 'exp', 'NaN')) }),
  },
  {
    name: 'payload-invalid-utf8',
    title: 'Payload bytes are not UTF-8',
    why: 'JSON text is UTF-8.',
    expect: 'malformed_token',
    build: async (c) => ({ authorization: bearer(await signSegments(standardHeaderJson, new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), c.secret)) }),
  },
  {
    name: 'payload-with-bom',
    title: 'Payload starts with a byte order mark',
    why: 'A BOM is not part of JSON text.',
    expect: 'malformed_token',
    build: async (c) => ({ authorization: bearer(await signSegments(standardHeaderJson, `\ufeff${JSON.stringify(claimsFor(c))}`, c.secret)) }),
  },
  {
    name: 'payload-nested-too-deep',
    title: 'Payload nested 300 levels deep',
    why: 'JSON may nest at most 256 levels: parsers differ beyond that, so every implementation draws the same line.',
    expect: 'malformed_token',
    build: async (c) => {
      const text = JSON.stringify(claimsFor(c, { extra: '__RAW__' })).replace('"__RAW__"', '['.repeat(299) + ']'.repeat(299));
      return { authorization: bearer(await signSegments(standardHeaderJson, text, c.secret)) };
    },
  },
  {
    name: 'long-garbage',
    title: '12,000 characters of garbage',
    why: 'Long input gets the same clear answer, never an error page.',
    expect: 'malformed_token',
    build: async () => ({ authorization: bearer(`${'x'.repeat(4000)}.${'%'.repeat(4000)}.${'y'.repeat(4000)}`) }),
  },
  {
    name: 'non-ascii-in-token',
    title: 'Non-ASCII characters in the token',
    why: 'Only [A-Za-z0-9_-] may appear in a segment.',
    expect: 'malformed_token',
    notOverHttp: 'HTTP clients refuse non-ASCII header values',
    build: async () => ({ authorization: 'Bearer ëyJhbGciOiJIUzI1NiJ9.e30.🙂' }),
  },
];
