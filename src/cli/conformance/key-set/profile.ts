/**
 * Replaying the contract's scenarios against a backend of the run's profile (--profile). Each scenario is
 * minted as in the vectors (its own profile decides how the token is made: HS256 with the run's secret, or
 * signed by a TEST key pair), and its expected answer is the engine's verdict for the backend's actual
 * configuration: the run's profile, the served TEST key set, the run's --alg and secret. So an hs256
 * scenario also runs against a jwks or both backend, with its answer under that profile.
 *
 * Not applicable: a scenario whose request sets its own key set, secret, algorithm or leeway (the backend
 * under test has its own), and a key-set scenario written for another algorithm than --alg.
 */
import { DEFAULT_KEY_SET_ALGORITHM, type KeySetAlgorithm, type Profile } from '../../../contract/data/contract.ts';
import { TEST_JWKS } from '../../../contract/data/test-key-set.ts';
import type { Scenario, ScenarioContext } from '../../../contract/scenarios/index.ts';
import type { VerdictRequest } from '../../../contract/verifier/verify.ts';

/** The part of the options this module reads (absent: an hs256 run). */
export interface ProfileOptions {
  profile?: Profile;
  algorithm?: KeySetAlgorithm;
  secret: string;
}

export const profileOf = (options: ProfileOptions): Profile => options.profile ?? 'hs256';
export const isKeySetRun = (options: ProfileOptions): boolean => profileOf(options) !== 'hs256';
export const algorithmOf = (options: ProfileOptions): KeySetAlgorithm => options.algorithm ?? DEFAULT_KEY_SET_ALGORITHM;

/** What every verdict request of the run carries about the backend's keys (nothing in an hs256 run). */
export function keySetFields(options: ProfileOptions, keys: VerdictRequest['keys'] = TEST_JWKS): Partial<VerdictRequest> {
  if (!isKeySetRun(options)) return {};
  return { profile: profileOf(options), keys, algorithm: algorithmOf(options) };
}

/** Why a scenario cannot run against this backend because of its profile or algorithm, or null. */
export function profileSkip(scenario: Pick<Scenario, 'profile' | 'algorithm'>, options: ProfileOptions): string | null {
  const own = scenario.profile ?? 'hs256';
  if (!isKeySetRun(options)) {
    return own === 'hs256' ? null : `needs a backend with the ${own} profile (this run checks hs256; see --profile)`;
  }
  if (own === 'hs256') return null;
  const written = scenario.algorithm ?? DEFAULT_KEY_SET_ALGORITHM;
  if (written !== algorithmOf(options)) return `needs a backend configured for ${written} (this run: --alg ${algorithmOf(options)})`;
  return null;
}

const OWN_SETTINGS: [keyof VerdictRequest, string][] = [
  ['keys', 'its own key set'],
  ['secret', 'its own secret'],
  ['algorithm', 'its own algorithm'],
  ['leeway', 'its own leeway'],
  ['profile', 'its own profile'],
];

/** The verdict request of a scenario for a key-set run, or why it is not applicable. */
export async function keySetScenarioRequest(
  scenario: Scenario,
  context: ScenarioContext,
  options: ProfileOptions,
): Promise<{ request: VerdictRequest } | { skip: string }> {
  const built = await scenario.build(context);
  const own = OWN_SETTINGS.find(([name]) => name in built && built[name] !== undefined);
  if (own) return { skip: `not over HTTP: it sets ${own[1]} (the backend under test has its own)` };
  const request: VerdictRequest = { ...keySetFields(options), authorization: null, secret: options.secret, now: context.now };
  if (context.issuer) request.issuer = context.issuer;
  if (context.audience) request.audience = context.audience;
  return { request: { ...request, ...built } };
}

/** "hs256", "jwks, EdDSA": the profile as the reports name it. */
export function profileLabel(options: ProfileOptions): string {
  return isKeySetRun(options) ? `${profileOf(options)}, ${algorithmOf(options)}` : 'hs256';
}

/** The scenario whose 200 proves the backend accepts a valid token of this run's profile. */
export function validScenarioName(options: ProfileOptions): string {
  if (profileOf(options) !== 'jwks') return 'valid';
  const algorithm = algorithmOf(options);
  return algorithm === DEFAULT_KEY_SET_ALGORITHM ? 'jwks-valid' : `jwks-valid-${algorithm.toLowerCase()}`;
}

/** A hint when a key-set backend refuses the valid token, or null to use the usual ones. */
export function keySetRefusalHint(answer: { status: number; code: string | null }, options: ProfileOptions & { serveJwks?: { host: string; port: number } | null }): string | null {
  if (!isKeySetRun(options)) return null;
  const where = options.serveJwks ? `http://${options.serveJwks.host.includes(':') ? `[${options.serveJwks.host}]` : options.serveJwks.host}:${options.serveJwks.port}/jwks.json` : 'the URL the CLI printed';
  if (answer.status === 503 || answer.code === 'keys_unavailable') {
    return `The backend could not fetch the key set: is its AUTH_JWKS_URL ${where}, reachable from the backend? (A backend that tried before the CLI was serving waits out its 30 s cool-down.)`;
  }
  if (answer.status === 500) return `The backend is misconfigured: AUTH_PROFILE=${profileOf(options)} needs AUTH_JWKS_URL${profileOf(options) === 'both' ? ' and BETTER_AUTH_SECRET' : ''}; see its log.`;
  if (answer.code === 'unsupported_alg') return `The backend refuses ${algorithmOf(options)}: give --alg as its AUTH_JWT_ALG, and --profile as its AUTH_PROFILE.`;
  if (answer.code === 'unknown_key') return `The backend has no usable key for the TEST kid: is its AUTH_JWKS_URL ${where}?`;
  if (answer.code === 'bad_signature' && profileOf(options) === 'both') return 'In the both profile the valid token is HS256: is the secret given the backend\'s BETTER_AUTH_SECRET?';
  return null;
}
