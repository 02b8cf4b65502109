/**
 * What the page says about the backend's pasted key set (the jwks and both profiles): loaded only when a
 * key-set profile is chosen. Pure functions, no DOM.
 */
import { keySetAlgorithm } from '../contract/data/profiles.ts';
import { describeKey, unusableBecause } from '../contract/verifier/key-set.ts';
import { type State, readKeySetText } from './state.ts';

/** Private members of a JWK: a key set that holds one leaks a private key. */
export const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

/** The `keys` array of a parsed key set, or null when it has none. */
const keyList = (value: unknown): unknown[] | null =>
  value !== null && typeof value === 'object' && Array.isArray((value as { keys?: unknown }).keys) ? (value as { keys: unknown[] }).keys : null;

/** The private members found in a key set's keys, or none. */
export function privateMembers(value: unknown): string[] {
  const keys = keyList(value) ?? [];
  const found = new Set<string>();
  for (const key of keys.slice(0, 100)) {
    if (key !== null && typeof key === 'object') for (const name of PRIVATE_MEMBERS) if (Object.hasOwn(key, name)) found.add(name);
  }
  return [...found];
}

/** The line under the backend's key set: what it holds for the configured algorithm, or what is wrong with it. */
export function keySetStatus(state: Pick<State, 'keySet' | 'keySetUnavailable' | 'algorithm'>): string {
  if (state.keySetUnavailable) return 'The backend cannot fetch its key set: a token on the key-set path gets 503 keys_unavailable (an HS256 token in the both profile still works).';
  if (state.keySet.trim() === '') return 'Empty: no key set is configured (AUTH_JWKS_URL is not set), so the backend must answer 500. Paste what your app\'s /api/auth/jwks returns.';
  const value = readKeySetText(state.keySet);
  if (typeof value === 'string') {
    let why = 'not JSON';
    try {
      JSON.parse(value);
    } catch (error) {
      why = `not JSON: ${error instanceof Error ? error.message : String(error)}`;
    }
    return `✗ This is ${why}. A backend that fetched it could not use it, so it answers 503 keys_unavailable. Paste the whole response of /api/auth/jwks.`;
  }
  const keys = keyList(value);
  if (keys === null) return '✗ Not a key set (no "keys" array). A backend that fetched it could not use it, so it answers 503 keys_unavailable.';
  const alg = keySetAlgorithm(state.algorithm);
  const objects = keys.filter((key): key is Record<string, unknown> => key !== null && typeof key === 'object' && !Array.isArray(key));
  const usable = alg ? objects.filter((key) => unusableBecause(key, alg) === null && typeof key.kid === 'string' && key.kid !== '') : [];
  const listed = usable.slice(0, 4).map((key) => describeKey(key));
  const more = usable.length > listed.length ? ` and ${usable.length - listed.length} more` : '';
  const count = `${keys.length} key${keys.length === 1 ? '' : 's'}`;
  const fits = alg
    ? usable.length
      ? `usable for ${alg}: ${listed.join(', ')}${more}`
      : `none usable for ${alg} (check each key's kty, crv, use, key_ops and alg)`
    : `the configured algorithm is not one the contract offers`;
  const secrets = privateMembers(value);
  const leak = secrets.length
    ? ` ⚠ It holds private key material (${secrets.map((name) => `"${name}"`).join(', ')}): a key set endpoint must publish public keys only. Treat that key as leaked; the page uses only the public members.`
    : '';
  return `${count}; ${fits}.${leak}`;
}
