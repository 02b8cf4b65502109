/** The key profiles of the contract (v1.1): where the backend's keys come from, and the key-set algorithms. */

/**
 * Where the backend's keys come from. `hs256` (the default): the shared BETTER_AUTH_SECRET. `jwks`: the key
 * set Better Auth's JWT plugin publishes, for one configured asymmetric algorithm. `both`: the migration
 * window, where HS256 tokens take the `hs256` way and tokens of the configured algorithm the `jwks` way.
 */
export type Profile = 'hs256' | 'jwks' | 'both';
export const PROFILES: readonly Profile[] = ['hs256', 'jwks', 'both'];
export const DEFAULT_PROFILE: Profile = 'hs256';

/** The asymmetric algorithms a key-set backend can be configured with (what Better Auth's keyPairConfig.alg offers). */
export const KEY_SET_ALGORITHMS = ['EdDSA', 'ES256', 'ES512', 'RS256', 'PS256'] as const;
export type KeySetAlgorithm = (typeof KEY_SET_ALGORITHMS)[number];
export const DEFAULT_KEY_SET_ALGORITHM: KeySetAlgorithm = 'EdDSA';
/** RFC 9864 names Ed25519's JWS algorithm "Ed25519"; the contract treats it as the same algorithm as "EdDSA". */
export const ALGORITHM_ALIASES: Readonly<Record<string, KeySetAlgorithm>> = { Ed25519: 'EdDSA' };
/** The key type (and curve) each configured algorithm needs. */
export const KEY_TYPES: Readonly<Record<KeySetAlgorithm, { kty: 'OKP' | 'EC' | 'RSA'; crv?: string }>> = {
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
  ES256: { kty: 'EC', crv: 'P-256' },
  ES512: { kty: 'EC', crv: 'P-521' },
  RS256: { kty: 'RSA' },
  PS256: { kty: 'RSA' },
};
/** RSA keys shorter than this are not usable. */
export const MIN_RSA_BITS = 2048;
/** The backend keeps a fetched key set at most this long (less when the response's max-age says so). */
export const KEY_SET_MAX_AGE = 600;
/** After fetching the key set, the backend fetches it again for an unknown kid at most once in this many seconds. */
export const KEY_SET_REFETCH_COOLDOWN = 30;

/** The algorithm an `alg` value names, with the RFC 9864 alias folded in; null when it is not a key-set algorithm. */
export function keySetAlgorithm(alg: unknown): KeySetAlgorithm | null {
  if (typeof alg !== 'string') return null;
  const name = ALGORITHM_ALIASES[alg] ?? alg;
  return (KEY_SET_ALGORITHMS as readonly string[]).includes(name) ? (name as KeySetAlgorithm) : null;
}
