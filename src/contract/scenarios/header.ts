/** The token header: the algorithm (check alg) and critical extensions (check crit). */
import { encodeBase64urlText } from '../codec/base64url.ts';
import { STANDARD_HEADER } from '../codec/sign.ts';
import { type ScenarioSeed, bearer, token, withHeader } from './builders.ts';

export const header: readonly ScenarioSeed[] = [
  ...(['none', 'None', 'NONE'] as const).map(
    (alg): ScenarioSeed => ({
      name: `alg-${alg === 'none' ? 'none' : alg === 'None' ? 'none-capitalised' : 'none-uppercase'}`,
      title: `alg "${alg}"`,
      why: 'An unsigned token must never be accepted, whatever the spelling.',
      expect: 'unsupported_alg',
      preset: alg === 'none',
      build: async (c) => ({ authorization: bearer(await withHeader(c, { alg, typ: 'JWT' }, 'none')) }),
    }),
  ),
  {
    name: 'alg-none-with-valid-signature',
    title: 'alg "none" with a valid HS256 signature',
    why: 'The header alone decides: alg must be exactly HS256.',
    expect: 'unsupported_alg',
    build: async (c) => ({ authorization: bearer(await withHeader(c, { alg: 'none', typ: 'JWT' })) }),
  },
  ...(['HS384', 'HS512'] as const).map(
    (alg): ScenarioSeed => ({
      name: `alg-${alg.toLowerCase()}`,
      title: `alg ${alg}, signed with ${alg} and the same secret`,
      why: 'Only HS256 is accepted, even with a correct signature of another HMAC.',
      expect: 'unsupported_alg',
      preset: alg === 'HS512',
      build: async (c) => ({ authorization: bearer(await withHeader(c, { alg, typ: 'JWT' }, alg)) }),
    }),
  ),
  ...(['RS256', 'ES256', 'EdDSA'] as const).map(
    (alg): ScenarioSeed => ({
      name: `alg-${alg.toLowerCase()}`,
      title: `alg ${alg} (key confusion)`,
      why: 'An asymmetric alg with an HMAC signature is the classic key-confusion attack; alg is pinned to HS256.',
      expect: 'unsupported_alg',
      build: async (c) => ({ authorization: bearer(await withHeader(c, { alg, typ: 'JWT' })) }),
    }),
  ),
  {
    name: 'alg-missing',
    title: 'No alg in the header',
    why: 'alg is required and must be HS256.',
    expect: 'unsupported_alg',
    build: async (c) => ({ authorization: bearer(await withHeader(c, { typ: 'JWT' })) }),
  },
  {
    name: 'alg-lowercase',
    title: 'alg "hs256"',
    why: 'alg is compared exactly, case included.',
    expect: 'unsupported_alg',
    build: async (c) => ({ authorization: bearer(await withHeader(c, { alg: 'hs256', typ: 'JWT' })) }),
  },
  {
    name: 'alg-array',
    title: 'alg ["HS256"]',
    why: 'alg must be the string "HS256".',
    expect: 'unsupported_alg',
    build: async (c) => ({ authorization: bearer(await withHeader(c, { alg: ['HS256'], typ: 'JWT' })) }),
  },
  {
    name: 'alg-before-signature',
    title: 'alg none and no valid claims',
    why: 'The alg check comes before the signature and the claims.',
    expect: 'unsupported_alg',
    build: async () => ({ authorization: bearer(`${encodeBase64urlText('{"alg":"none"}')}.${encodeBase64urlText('{}')}.`) }),
  },

  {
    name: 'crit-header',
    title: 'crit header',
    why: 'The backend understands no extensions, so any crit is rejected.',
    expect: 'invalid_header',
    build: async (c) => ({ authorization: bearer(await withHeader(c, { ...STANDARD_HEADER, crit: ['exp'] })) }),
  },
  {
    name: 'crit-empty',
    title: 'crit: []',
    why: 'Even an empty crit is rejected.',
    expect: 'invalid_header',
    build: async (c) => ({ authorization: bearer(await withHeader(c, { ...STANDARD_HEADER, crit: [] })) }),
  },
  {
    name: 'crit-b64-false',
    title: 'Unencoded payload option (b64: false)',
    why: 'RFC 7797 needs crit; crit is rejected.',
    expect: 'invalid_header',
    build: async (c) => ({ authorization: bearer(await withHeader(c, { ...STANDARD_HEADER, b64: false, crit: ['b64'] })) }),
  },
];
