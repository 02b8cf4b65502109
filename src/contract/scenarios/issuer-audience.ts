/** Who issued the token and for whom (checks issuer, audience). */
import { type ScenarioSeed, bearer, token } from './builders.ts';

export const issuerAudience: readonly ScenarioSeed[] = [
  {
    name: 'wrong-issuer',
    title: 'Another issuer',
    why: 'iss must equal the configured Better Auth base URL.',
    expect: 'wrong_issuer',
    preset: true,
    requires: { issuer: true },
    build: async (c) => ({ authorization: bearer(await token(c, { iss: 'https://evil.example' })) }),
  },
  {
    name: 'missing-issuer',
    title: 'No iss while an issuer is configured',
    why: 'When the backend checks iss, a token without one fails.',
    expect: 'wrong_issuer',
    requires: { issuer: true },
    build: async (c) => ({ authorization: bearer(await token(c, {}, ['iss'])) }),
  },
  {
    name: 'issuer-trailing-slash',
    title: 'iss with a trailing slash',
    why: 'iss is compared exactly: "http://localhost:3000/" is not "http://localhost:3000".',
    expect: 'wrong_issuer',
    requires: { issuer: true },
    build: async (c) => ({ authorization: bearer(await token(c, { iss: `${c.issuer}/` })) }),
  },

  {
    name: 'wrong-audience',
    title: 'Another audience',
    why: 'aud must name this API.',
    expect: 'wrong_audience',
    preset: true,
    requires: { audience: true },
    build: async (c) => ({ authorization: bearer(await token(c, { aud: 'https://other-api.example' })) }),
  },
  {
    name: 'missing-audience',
    title: 'No aud while an audience is configured',
    why: 'When the backend checks aud, a token without one fails.',
    expect: 'wrong_audience',
    requires: { audience: true },
    build: async (c) => ({ authorization: bearer(await token(c, {}, ['aud'])) }),
  },
  {
    name: 'audience-array-without',
    title: 'aud array without this API',
    why: 'The array must contain the configured audience.',
    expect: 'wrong_audience',
    requires: { audience: true },
    build: async (c) => ({ authorization: bearer(await token(c, { aud: ['https://a.example', 'https://b.example'] })) }),
  },
  {
    name: 'audience-array-with-non-string',
    title: 'aud array with a number in it',
    why: 'aud must be a string or an array of strings.',
    expect: 'wrong_audience',
    requires: { audience: true },
    build: async (c) => ({ authorization: bearer(await token(c, { aud: [c.audience, 42] })) }),
  },
];
