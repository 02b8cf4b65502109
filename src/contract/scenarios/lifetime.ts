/** The token's lifetime: expiry and not-before (checks expiry, not-before), leeway included. */
import { type ScenarioSeed, bearer, token } from './builders.ts';

export const lifetime: readonly ScenarioSeed[] = [
  {
    name: 'expired',
    title: 'Expired an hour ago',
    why: 'now is past exp + leeway.',
    expect: 'token_expired',
    preset: true,
    build: async (c) => ({ authorization: bearer(await token(c, { iat: c.now - 4500, exp: c.now - 3600 })) }),
  },
  {
    name: 'exp-at-leeway-boundary',
    title: 'now = exp + leeway exactly',
    why: 'A token is valid while now < exp + leeway; at equality it has expired.',
    expect: 'token_expired',
    notOverHttp: 'it needs the exact clock',
    build: async (c) => ({ authorization: bearer(await token(c, { iat: c.now - 930, exp: c.now - 30 })) }),
  },
  {
    name: 'exp-past-leeway',
    title: 'Expired 40 s ago',
    why: '10 s beyond the 30 s leeway.',
    expect: 'token_expired',
    build: async (c) => ({ authorization: bearer(await token(c, { iat: c.now - 940, exp: c.now - 40 })) }),
  },
  {
    name: 'exp-zero',
    title: 'exp is 0',
    why: '1970 is long past.',
    expect: 'token_expired',
    build: async (c) => ({ authorization: bearer(await token(c, { exp: 0 })) }),
  },
  {
    name: 'expired-and-from-the-future',
    title: 'Expired and issued in the future',
    why: 'Expiry is checked before iat and nbf.',
    expect: 'token_expired',
    build: async (c) => ({ authorization: bearer(await token(c, { iat: c.now + 3600, exp: c.now - 3600 })) }),
  },
  {
    name: 'zero-leeway',
    title: 'exp = now with no leeway',
    why: 'With a leeway of 0 the token expires at exp exactly.',
    expect: 'token_expired',
    notOverHttp: 'the backend under test has its own leeway',
    build: async (c) => ({ authorization: bearer(await token(c, { iat: c.now - 900, exp: c.now })), leeway: 0 }),
  },

  {
    name: 'iat-future',
    title: 'iat 5 minutes in the future',
    why: "The issuer's clock is ahead of the backend's by more than the leeway.",
    expect: 'token_not_yet_valid',
    preset: true,
    build: async (c) => ({ authorization: bearer(await token(c, { iat: c.now + 300, exp: c.now + 1200 })) }),
  },
  {
    name: 'iat-one-second-past-leeway',
    title: 'iat 31 s in the future',
    why: 'One second beyond the leeway.',
    expect: 'token_not_yet_valid',
    notOverHttp: 'it needs the exact clock',
    build: async (c) => ({ authorization: bearer(await token(c, { iat: c.now + 31 })) }),
  },
  {
    name: 'iat-future-beyond-leeway',
    title: 'iat 2 minutes in the future',
    why: 'Beyond the 30 s leeway.',
    expect: 'token_not_yet_valid',
    build: async (c) => ({ authorization: bearer(await token(c, { iat: c.now + 120 })) }),
  },
  {
    name: 'nbf-future',
    title: 'nbf 10 minutes in the future',
    why: 'The token is not valid before nbf (minus the leeway).',
    expect: 'token_not_yet_valid',
    preset: true,
    build: async (c) => ({ authorization: bearer(await token(c, { nbf: c.now + 600 })) }),
  },
];
