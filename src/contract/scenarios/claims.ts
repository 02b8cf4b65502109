/** The claims: required ones present (claims-present) and of the right types (claim-types). */
import { signSegments } from '../codec/sign.ts';
import { EXAMPLE_USER } from '../data/fixtures.ts';
import { type ScenarioSeed, bearer, standardHeaderJson, token, rawPayloadToken } from './builders.ts';

export const claims: readonly ScenarioSeed[] = [
  ...(['sub', 'email', 'iat', 'exp'] as const).map(
    (claim): ScenarioSeed => ({
      name: `missing-${claim}`,
      title: `No ${claim} claim`,
      why: `${claim} is required.`,
      expect: 'missing_claim',
      preset: claim === 'sub' || claim === 'email',
      build: async (c) => ({ authorization: bearer(await token(c, {}, [claim])) }),
    }),
  ),
  {
    name: 'empty-payload',
    title: 'Empty payload {}',
    why: 'All four required claims are missing; sub is reported first.',
    expect: 'missing_claim',
    build: async (c) => ({ authorization: bearer(await signSegments(standardHeaderJson, '{}', c.secret)) }),
  },
  {
    name: 'cookie-cache-token',
    title: 'Better Auth cookie-cache JWT',
    why: 'Better Auth signs its cookie cache (strategy "jwt") with the same secret; it has no top-level sub or email, so it is refused.',
    expect: 'missing_claim',
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
  {
    name: 'email-verification-token',
    title: 'Better Auth email-verification token',
    why: 'Better Auth signs the link of a verification email as HS256 with the same secret ({"email", "iat", "exp"}, no sub): the API must refuse it.',
    expect: 'missing_claim',
    build: async (c) => ({
      authorization: bearer(await signSegments('{"alg":"HS256"}', JSON.stringify({ email: 'ada@example.com', iat: c.now, exp: c.now + 3600 }), c.secret)),
    }),
  },
  {
    name: 'email-change-verification-token',
    title: 'Better Auth email-change verification token',
    why: 'The change-email link adds "updateTo" but still has no sub: refused like any verification token.',
    expect: 'missing_claim',
    build: async (c) => ({
      authorization: bearer(
        await signSegments('{"alg":"HS256"}', JSON.stringify({ email: 'ada@example.com', updateTo: 'ada@new.example', iat: c.now, exp: c.now + 3600 }), c.secret),
      ),
    }),
  },

  {
    name: 'empty-sub',
    title: 'sub is an empty string',
    why: 'sub must be a non-empty string.',
    expect: 'invalid_claim',
    build: async (c) => ({ authorization: bearer(await token(c, { sub: '' })) }),
  },
  {
    name: 'sub-number',
    title: 'sub is a number',
    why: 'sub must be a string.',
    expect: 'invalid_claim',
    build: async (c) => ({ authorization: bearer(await token(c, { sub: 123 })) }),
  },
  {
    name: 'email-null',
    title: 'email is null',
    why: 'A present claim with the wrong type is invalid, not missing.',
    expect: 'invalid_claim',
    build: async (c) => ({ authorization: bearer(await token(c, { email: null })) }),
  },
  {
    name: 'exp-string',
    title: 'exp is a string',
    why: 'NumericDate is a JSON number, not a string of digits.',
    expect: 'invalid_claim',
    build: async (c) => ({ authorization: bearer(await token(c, { exp: String(c.now + 900) })) }),
  },
  {
    name: 'exp-null',
    title: 'exp is null',
    why: 'NumericDate is a number.',
    expect: 'invalid_claim',
    build: async (c) => ({ authorization: bearer(await token(c, { exp: null })) }),
  },
  {
    name: 'exp-1e400',
    title: 'exp is 1e400',
    why: 'It overflows to infinity (a token that never expires); only finite numbers are accepted.',
    expect: 'invalid_claim',
    build: async (c) => ({ authorization: bearer(await rawPayloadToken(c, 'exp', '1e400')) }),
  },
  {
    name: 'exp-huge-integer',
    title: 'exp is a 401-digit integer',
    why: 'As a double it is infinite, whatever the language keeps internally.',
    expect: 'invalid_claim',
    build: async (c) => ({ authorization: bearer(await rawPayloadToken(c, 'exp', `1${'0'.repeat(400)}`)) }),
  },
  {
    name: 'iat-boolean',
    title: 'iat is true',
    why: 'A boolean is not a number (Python treats True as 1).',
    expect: 'invalid_claim',
    build: async (c) => ({ authorization: bearer(await token(c, { iat: true })) }),
  },
  {
    name: 'nbf-string',
    title: 'nbf is a string',
    why: 'When present, nbf must be a number.',
    expect: 'invalid_claim',
    build: async (c) => ({ authorization: bearer(await token(c, { nbf: 'yesterday' })) }),
  },
  {
    name: 'role-array',
    title: 'role is an array',
    why: 'role is a string (comma-separated for several roles).',
    expect: 'invalid_claim',
    build: async (c) => ({ authorization: bearer(await token(c, { role: ['admin'] })), requiredRole: 'admin' }),
  },
];
