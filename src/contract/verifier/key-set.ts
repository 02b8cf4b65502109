/**
 * The key set of the `jwks` and `both` profiles: reading what the backend holds, and finding the usable
 * key for a token's kid (check `key`). Keys are only ever taken from the key set, never from the token.
 * Whatever the input (a hostile or broken set), these functions return an answer and never throw.
 */
import { importJWK } from 'jose';
import { decodeBase64url } from '../codec/base64url.ts';
import { KEY_TYPES, type KeySetAlgorithm, MIN_RSA_BITS, keySetAlgorithm } from '../data/contract.ts';

/** A JSON Web Key as the set carries it: any members, of any type. */
export type Jwk = Record<string, unknown>;

/** What the backend holds: a key set, or nothing it could use ("unavailable"). */
export type HeldKeySet = { keys: Jwk[] } | 'unavailable';

/** At most this many keys are looked at; a larger set is read as its first keys. */
export const MAX_KEYS = 100;

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Reads the `keys` of a verdict request: a JWK Set object, or the string "unavailable". Anything else
 * that is not a JWK Set (no `keys` array) is a set the backend could not use, so it counts as unavailable.
 * Returns null when the request has no key set at all (not configured).
 */
export function readKeySet(input: unknown, notes: string[]): HeldKeySet | null {
  if (input === undefined || input === null) return null;
  if (input === 'unavailable') return 'unavailable';
  if (isObject(input) && Array.isArray(input.keys)) {
    const keys = input.keys.slice(0, MAX_KEYS).filter(isObject);
    if (input.keys.length > MAX_KEYS) notes.push(`the key set has ${input.keys.length} keys; only the first ${MAX_KEYS} are read`);
    return { keys };
  }
  notes.push('keys should be a JSON Web Key Set ({"keys": [...]}) or "unavailable"; read as a key set that cannot be used');
  return 'unavailable';
}

/** The bit length of an RSA modulus given as base64url, or 0 when it cannot be read. */
export function rsaModulusBits(n: unknown): number {
  if (typeof n !== 'string') return 0;
  const decoded = decodeBase64url(n);
  if (!decoded.ok) return 0;
  const bytes = decoded.bytes;
  let first = 0;
  while (first < bytes.length && bytes[first] === 0) first++;
  if (first === bytes.length) return 0;
  return (bytes.length - first - 1) * 8 + (32 - Math.clz32(bytes[first]!));
}

/** Why a key with the token's kid cannot verify it, or null when it can. */
export function unusableBecause(key: Jwk, alg: KeySetAlgorithm): string | null {
  const want = KEY_TYPES[alg];
  if (key.kty !== want.kty) return `its kty is ${JSON.stringify(key.kty) ?? 'missing'}, ${alg} needs ${want.kty}`;
  if (want.crv && key.crv !== want.crv) return `its crv is ${JSON.stringify(key.crv) ?? 'missing'}, ${alg} needs ${want.crv}`;
  if (want.kty === 'RSA') {
    const bits = rsaModulusBits(key.n);
    if (bits < MIN_RSA_BITS) return bits ? `it is an RSA key of ${bits} bits, under ${MIN_RSA_BITS}` : 'its RSA modulus cannot be read';
  }
  if (key.use !== undefined && key.use !== 'sig') return `its use is ${JSON.stringify(key.use)}, not "sig"`;
  if (key.key_ops !== undefined && !(Array.isArray(key.key_ops) && key.key_ops.includes('verify'))) {
    return 'its key_ops do not include "verify"';
  }
  if (key.alg !== undefined && keySetAlgorithm(key.alg) !== alg) return `its alg is ${JSON.stringify(key.alg)}, the token's is ${alg}`;
  return null;
}

export type KeyLookup = { found: true; key: Jwk } | { found: false; reason: string };

/** The first usable key of the set for this kid and algorithm, or why there is none. */
export function findKey(set: { keys: Jwk[] }, kid: string, alg: KeySetAlgorithm): KeyLookup {
  const candidates = set.keys.filter((key) => key.kid === kid);
  if (candidates.length === 0) {
    return { found: false, reason: `The key set (${set.keys.length} key${set.keys.length === 1 ? '' : 's'}) has no key with kid ${JSON.stringify(kid)}.` };
  }
  const reasons: string[] = [];
  for (const key of candidates) {
    const reason = unusableBecause(key, alg);
    if (reason === null) return { found: true, key };
    reasons.push(reason);
  }
  return { found: false, reason: `The key with kid ${JSON.stringify(kid)} cannot verify this token: ${reasons.join('; ')}.` };
}

/** A short description of a key, for the trace: "OKP Ed25519 key test-eddsa-1". */
export function describeKey(key: Jwk): string {
  const parts = [key.kty, key.crv].filter((part) => typeof part === 'string');
  if (key.kty === 'RSA') parts.push(`${rsaModulusBits(key.n)}-bit`);
  return `${parts.join(' ')} key ${JSON.stringify(key.kid)}`;
}

/** The public part of a key set entry as a CryptoKey for this algorithm, or null when it cannot be imported. */
export async function importPublicKey(key: Jwk, alg: string): Promise<CryptoKey | null> {
  const publicJwk: Record<string, unknown> = {};
  for (const name of ['kty', 'crv', 'x', 'y', 'n', 'e']) if (typeof key[name] === 'string') publicJwk[name] = key[name];
  try {
    const imported = await importJWK(publicJwk, alg);
    return imported instanceof Uint8Array ? null : imported;
  } catch {
    return null;
  }
}
