// Generates the TEST key pairs of the key-set profile once; their output is committed as
// src/contract/data/test-keys.ts. They are test keys: published on purpose, never to be trusted anywhere.
//   node scripts/generate-test-keys.ts > src/contract/data/test-keys.ts
import { exportJWK, generateKeyPair } from 'jose';

async function pair(alg: string, options: Record<string, unknown> = {}) {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...options });
  return exportJWK(privateKey);
}

const keys = {
  eddsa1: await pair('EdDSA'),
  eddsa2: await pair('EdDSA'),
  attacker: await pair('EdDSA'),
  es256: await pair('ES256'),
  es512: await pair('ES512'),
  rsa2048: await pair('RS256', { modulusLength: 2048 }),
  // too short to be usable; jose refuses to make RSA keys under 2048 bits, node:crypto does not
  rsa1024: (await import('node:crypto')).generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'jwk' }),
};

console.log(`/**
 * TEST KEYS of the key-set profile, generated once by scripts/generate-test-keys.ts and published on
 * purpose: the vectors, the scenarios, the conformance CLI's served key set and the tests sign with them.
 * They are NOT secret and must never be trusted by anything real.
 */
import type { Jwk } from '../verifier/key-set.ts';

/** Private TEST keys (JWK), by role. */
export const TEST_PRIVATE_KEYS = ${JSON.stringify(keys, null, 2)} satisfies Record<string, Jwk>;
`);
