/** The request itself: the secret (check secret), one credential (single-credential), a Bearer token (bearer). */
import { type ScenarioSeed, bearer, token } from './builders.ts';

export const credentials: readonly ScenarioSeed[] = [
  {
    name: 'no-secret',
    title: 'Backend without a secret',
    why: 'A backend without BETTER_AUTH_SECRET cannot verify anything (and should refuse to start).',
    expect: 'server_misconfigured',
    notOverHttp: 'the backend under test has a secret',
    build: async (c) => ({ authorization: bearer(await token(c)), secret: null }),
  },
  {
    name: 'empty-secret',
    title: 'Backend with an empty secret',
    why: 'An empty BETTER_AUTH_SECRET counts as none.',
    expect: 'server_misconfigured',
    notOverHttp: 'the backend under test has a secret',
    build: async (c) => ({ authorization: bearer(await token(c)), secret: '' }),
  },

  {
    name: 'two-authorization-headers',
    title: 'Two Authorization headers',
    why: 'Exactly one credential is allowed, even when both are valid.',
    expect: 'duplicate_credentials',
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
    expect: 'duplicate_credentials',
    build: async (c) => ({ authorization: [bearer(await token(c)), ''] }),
  },
  {
    name: 'duplicate-before-secret-problems',
    title: 'Two headers with expired tokens',
    why: 'Duplicate credentials are reported before anything about the tokens.',
    expect: 'duplicate_credentials',
    build: async (c) => {
      const value = bearer(await token(c, { iat: c.now - 7200, exp: c.now - 3600 }));
      return { authorization: [value, value] };
    },
  },

  {
    name: 'no-authorization-header',
    title: 'No Authorization header',
    why: 'Without a credential the answer is a bare challenge, with no error attribute.',
    expect: 'missing_token',
    preset: true,
    build: async () => ({ authorization: null }),
  },
  {
    name: 'empty-authorization-header',
    title: 'Empty Authorization header',
    why: 'An empty value carries no credential.',
    expect: 'missing_token',
    build: async () => ({ authorization: '' }),
  },
  {
    name: 'basic-scheme',
    title: 'Basic scheme',
    why: 'Only the Bearer scheme is accepted.',
    expect: 'missing_token',
    build: async () => ({ authorization: 'Basic dXNlcjpwYXNzd29yZA==' }),
  },
  {
    name: 'bearer-without-token',
    title: '"Bearer" with no token',
    why: 'An empty token is no token.',
    expect: 'missing_token',
    build: async () => ({ authorization: 'Bearer' }),
  },
  {
    name: 'bearer-followed-by-spaces',
    title: '"Bearer" followed only by spaces',
    why: 'Trimmed, it is "Bearer" with no token.',
    expect: 'missing_token',
    build: async () => ({ authorization: 'Bearer    ' }),
  },
  {
    name: 'token-without-scheme',
    title: 'Token without "Bearer "',
    why: 'The whole value is read as the scheme, which is not Bearer.',
    expect: 'missing_token',
    build: async (c) => ({ authorization: await token(c) }),
  },
  {
    name: 'tab-after-bearer',
    title: 'A tab between Bearer and the token',
    why: 'Scheme and token must be separated by spaces; with a tab the scheme is not Bearer.',
    expect: 'missing_token',
    build: async (c) => ({ authorization: `Bearer\t${await token(c)}` }),
  },
  {
    name: 'token-scheme',
    title: '"Token" scheme',
    why: 'Only the Bearer scheme is accepted.',
    expect: 'missing_token',
    build: async (c) => ({ authorization: `Token ${await token(c)}` }),
  },
  {
    name: 'empty-header-list',
    title: 'An empty list of headers',
    why: 'No header at all.',
    expect: 'missing_token',
    notOverHttp: 'it is the same request as no header',
    build: async () => ({ authorization: [] }),
  },
];
