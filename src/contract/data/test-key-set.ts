/**
 * The TEST key set of the key-set profile: what a backend under test fetches from its AUTH_JWKS_URL in the
 * vectors and in conformance runs (the conformance CLI serves exactly this set). Besides the usable keys it
 * holds, on purpose, keys that must never be used: marked for encryption, for another algorithm, without
 * "verify", of a curve or size that does not fit. TEST KEYS: never trust them anywhere real.
 */
import type { KeySetAlgorithm } from './contract.ts';
import { TEST_PRIVATE_KEYS } from './test-keys.ts';
import type { Jwk } from '../verifier/key-set.ts';

/** The kids of the test key set, by role. */
export const TEST_KID = {
  eddsa: 'test-eddsa-1',
  /** The second Ed25519 key: a rotation publishes both for a while. */
  eddsaRotated: 'test-eddsa-2',
  es256: 'test-es256-1',
  es512: 'test-es512-1',
  rs256: 'test-rs256-1',
  /** The same RSA key without an alg member, for PS256. */
  ps256: 'test-rsa-1-no-alg',
  /** An Ed25519 key marked "use": "enc". */
  encryption: 'test-eddsa-use-enc',
  /** An Ed25519 key whose alg says ES256. */
  otherAlg: 'test-eddsa-alg-es256',
  /** An Ed25519 key whose key_ops lack "verify". */
  signOnly: 'test-eddsa-key-ops-sign',
  /** An X25519 (key agreement) key: the wrong curve for EdDSA. */
  wrongCurve: 'test-x25519',
  /** A 1024-bit RSA key: too short. */
  smallRsa: 'test-rs256-1024',
  /** In no key set: the attacker's. */
  attacker: 'attacker-key',
} as const;

const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e'];
/** The public part of a key: no private members. */
export function publicKey(key: Jwk): Jwk {
  return Object.fromEntries(PUBLIC_MEMBERS.filter((name) => name in key).map((name) => [name, key[name]]));
}

const { eddsa1, eddsa2, es256, es512, rsa2048, rsa1024 } = TEST_PRIVATE_KEYS;

/** The test key set as a backend fetches it (public keys only). */
export const TEST_JWKS: { keys: Jwk[] } = {
  keys: [
    { ...publicKey(eddsa1), kid: TEST_KID.eddsa, alg: 'EdDSA', use: 'sig' },
    { ...publicKey(eddsa2), kid: TEST_KID.eddsaRotated },
    { ...publicKey(es256), kid: TEST_KID.es256, alg: 'ES256', use: 'sig' },
    { ...publicKey(es512), kid: TEST_KID.es512, alg: 'ES512' },
    { ...publicKey(rsa2048), kid: TEST_KID.rs256, alg: 'RS256', use: 'sig' },
    { ...publicKey(rsa2048), kid: TEST_KID.ps256 },
    { ...publicKey(eddsa1), kid: TEST_KID.encryption, use: 'enc' },
    { ...publicKey(eddsa1), kid: TEST_KID.otherAlg, alg: 'ES256' },
    { ...publicKey(eddsa1), kid: TEST_KID.signOnly, key_ops: ['sign'] },
    { kty: 'OKP', crv: 'X25519', x: eddsa1.x, kid: TEST_KID.wrongCurve },
    { ...publicKey(rsa1024), kid: TEST_KID.smallRsa, alg: 'RS256' },
  ],
};

/** The private TEST key that signs for a kid (keys that must not be usable sign with the key their material comes from,
 * so a backend that wrongly uses them accepts the token). */
export function testSigningKey(kid: string): { key: Jwk; alg: KeySetAlgorithm } {
  switch (kid) {
    case TEST_KID.eddsaRotated:
      return { key: eddsa2, alg: 'EdDSA' };
    case TEST_KID.es256:
      return { key: es256, alg: 'ES256' };
    case TEST_KID.es512:
      return { key: es512, alg: 'ES512' };
    case TEST_KID.rs256:
      return { key: rsa2048, alg: 'RS256' };
    // really signed with the 1024-bit key: a backend that accepts short RSA keys answers 200, not 401
    case TEST_KID.smallRsa:
      return { key: rsa1024, alg: 'RS256' };
    case TEST_KID.ps256:
      return { key: rsa2048, alg: 'PS256' };
    case TEST_KID.attacker:
      return { key: TEST_PRIVATE_KEYS.attacker, alg: 'EdDSA' };
    default:
      return { key: eddsa1, alg: 'EdDSA' };
  }
}

/** The kid of the usable test key for each configured algorithm. */
export const TEST_KID_FOR: Record<KeySetAlgorithm, string> = {
  EdDSA: TEST_KID.eddsa,
  ES256: TEST_KID.es256,
  ES512: TEST_KID.es512,
  RS256: TEST_KID.rs256,
  PS256: TEST_KID.ps256,
};
