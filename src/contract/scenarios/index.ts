/**
 * Named scenarios: every check of the contract and the known attacks and edge cases, each a recipe that
 * mints its request for a given secret, clock and configuration. The conformance vectors, the
 * playground's presets, the docs' "try it" links and the conformance CLI all come from this list.
 *
 * Each group file declares what its scenarios expect ('ok' or a code). The check that decides, the
 * status and the place in the order are looked up here, in the contract data, never restated: adding
 * a check means adding its outcome to the contract data, its step to the verifier and its scenarios to
 * a group file (listed below).
 */
import { type CheckId, type Code, DEFAULT_KEY_SET_ALGORITHM, DEFAULT_PROFILE, type Status, checkNumber, outcomeFor } from '../data/contract.ts';
import { EXAMPLE_AUDIENCE, EXAMPLE_ISSUER, TEST_SECRET, VECTOR_NOW } from '../data/fixtures.ts';
import { TEST_JWKS } from '../data/test-key-set.ts';
import type { VerdictRequest } from '../verifier/verify.ts';
import { access } from './access.ts';
import { accepted } from './accepted.ts';
import type { ScenarioContext, ScenarioSeed } from './builders.ts';
import { claims } from './claims.ts';
import { header } from './header.ts';
import { issuerAudience } from './issuer-audience.ts';
import { keySet } from './key-set.ts';
import { lifetime } from './lifetime.ts';
import { credentials } from './credentials.ts';
import { signature } from './signature.ts';
import { structure } from './structure.ts';

export type { ScenarioContext } from './builders.ts';

export interface Scenario extends ScenarioSeed {
  /** The answer, derived from `expect` and the contract data. */
  expected: { status: Status; code: Code | null };
  /** The id of the check that fails, or null for 200. */
  check: CheckId | null;
}

function derive(seed: ScenarioSeed): Scenario {
  if (seed.expect === 'ok') return { ...seed, expected: { status: 200, code: null }, check: null };
  const outcome = outcomeFor(seed.expect, seed.profile ?? DEFAULT_PROFILE);
  return { ...seed, expected: { status: outcome.status, code: outcome.code }, check: outcome.check };
}

const order = (scenario: Scenario) => (scenario.check === null ? -1 : checkNumber(scenario.check));

/** Every scenario: 200s first, then by the contract's order of checks (stable within a check). */
export const SCENARIOS: readonly Scenario[] = [accepted, credentials, structure, header, signature, claims, lifetime, issuerAudience, access, keySet]
  .flat()
  .map(derive)
  .map((scenario, index) => ({ scenario, index }))
  .sort((a, b) => order(a.scenario) - order(b.scenario) || a.index - b.index)
  .map(({ scenario }) => scenario);

export function scenarioByName(name: string): Scenario | undefined {
  return SCENARIOS.find((scenario) => scenario.name === name);
}

/** The configuration a scenario runs under in the published vectors. */
export function vectorContext(scenario: Scenario, secret = TEST_SECRET, now = VECTOR_NOW): ScenarioContext {
  return {
    profile: scenario.profile ?? DEFAULT_PROFILE,
    secret,
    keys: TEST_JWKS,
    algorithm: scenario.algorithm ?? DEFAULT_KEY_SET_ALGORITHM,
    now,
    issuer: scenario.requires?.issuer === false ? null : EXAMPLE_ISSUER,
    audience: scenario.requires?.audience === false ? null : EXAMPLE_AUDIENCE,
  };
}

/** The complete verdict request of a scenario under a context. */
export async function scenarioRequest(scenario: Scenario, context: ScenarioContext): Promise<VerdictRequest> {
  const request: VerdictRequest = { authorization: null, secret: context.secret, now: context.now };
  if (context.profile !== 'hs256') Object.assign(request, { profile: context.profile, keys: context.keys, algorithm: context.algorithm });
  if (context.issuer) request.issuer = context.issuer;
  if (context.audience) request.audience = context.audience;
  return { ...request, ...(await scenario.build(context)) };
}

/** The scenario the docs link to for each outcome, and for 200. */
export const EXAMPLE_SCENARIO: Record<Code | 'ok', string> = {
  ok: 'valid',
  server_misconfigured: 'no-secret',
  duplicate_credentials: 'two-authorization-headers',
  missing_token: 'no-authorization-header',
  malformed_token: 'two-segments',
  unsupported_alg: 'alg-none',
  invalid_header: 'crit-header',
  unknown_key: 'jwks-unknown-kid',
  keys_unavailable: 'jwks-keys-unavailable',
  bad_signature: 'wrong-secret',
  missing_claim: 'missing-sub',
  invalid_claim: 'exp-string',
  token_expired: 'expired',
  token_not_yet_valid: 'iat-future',
  wrong_issuer: 'wrong-issuer',
  wrong_audience: 'wrong-audience',
  user_mismatch: 'other-users-resource',
  insufficient_role: 'missing-role',
};
