/**
 * Cases: the engine's named scenarios turned into playground states. A case fills the request and the
 * backend's configuration exactly as the scenario defines them (scenarioRequest), at a given clock.
 */
import { type AuthorizationInput, authorizationValues, extractAuthorization } from '../contract/verifier/authorization.ts';
import { DEFAULT_KEY_SET_ALGORITHM, DEFAULT_LEEWAY, DEFAULT_PROFILE, OUTCOMES } from '../contract/data/contract.ts';
import { decodeToken } from '../contract/codec/decode.ts';
import { type Scenario, SCENARIOS, scenarioByName as anyScenario, scenarioRequest, vectorContext } from '../contract/scenarios/index.ts';
import { EXAMPLE_USER, TEST_SECRET } from '../contract/data/fixtures.ts';
import { contractClaims } from '../contract/codec/sign.ts';
import { builderFromToken, firstToken, knownSigningSecret, prettyClaims } from './builder.ts';

/**
 * Opening a case signs tokens through jose's CompactSign, which codec/sign.ts imports when first used:
 * re-exported here so that it arrives with the case list (once the page is idle), not while the reader works.
 */
export { CompactSign } from 'jose/jws/compact/sign';

/** The case list is this module's to load: the element imports it only when a case is opened. */
export { firstToken, knownSigningSecret };
import type { State } from './state.ts';

/** The cases the playground runs: every scenario of every profile (hs256, jwks, both). */
export const PLAYGROUND_CASES: readonly Scenario[] = SCENARIOS;

/** A case the playground runs, by name. */
export const scenarioByName = (name: string): Scenario | undefined => anyScenario(name);

/** The cases grouped by their answer (200, then each outcome in contract order), for the list of all cases. */
export function caseGroups(): { label: string; items: Scenario[] }[] {
  return [
    { label: '200 OK: accepted', items: PLAYGROUND_CASES.filter((scenario) => scenario.check === null) },
    ...OUTCOMES.map((outcome) => ({
      label: `${outcome.status} ${outcome.code} (check ${outcome.order}: ${outcome.title})`,
      items: PLAYGROUND_CASES.filter((scenario) => scenario.check === outcome.check && scenario.expected.code === outcome.code),
    })),
  ].filter((group) => group.items.length > 0);
}

/** The scenarios offered as one-click presets, in contract order. */
export const PRESETS: readonly Scenario[] = PLAYGROUND_CASES.filter((scenario) => scenario.preset);

const sameAuthorization = (a: AuthorizationInput, b: AuthorizationInput) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The text to show in the request field for Authorization header(s): the bare token when that reads back
 * the same, else the header value, else one "Authorization:" line per header (which keeps a value
 * without a scheme, an empty value or several headers apart).
 */
export function authorizationText(authorization: AuthorizationInput): string {
  const list = authorizationValues(authorization);
  if (list.length === 0) return '';
  if (list.length === 1) {
    const value = list[0]!;
    const bare = /^Bearer (\S+)$/.exec(value)?.[1];
    if (bare !== undefined && sameAuthorization(extractAuthorization(bare).authorization, value)) return bare;
    if (sameAuthorization(extractAuthorization(value).authorization, value)) return value;
  }
  return list.map((value) => `Authorization: ${value}`).join('\n');
}

/**
 * The state of a case: its request and configuration under the built-in test secret, the example issuer
 * and audience (unless the case needs them unset) and the given clock, fixed so that the answer does not
 * drift while one reads it. The builder is loaded with the case's claims; the request URL is kept.
 */
export async function caseState(scenario: Scenario, previous: State, now: number): Promise<State> {
  const context = vectorContext(scenario, TEST_SECRET, Math.floor(now));
  const request = await scenarioRequest(scenario, context);
  const authorization = request.authorization ?? null;
  const token = firstToken(authorization);
  const decoded = token ? decodeToken(token) : undefined;
  // The builder starts from the case's claims, or from valid ones when the case has no readable payload.
  const builder =
    token && decoded?.segments[1]?.decodedText !== undefined
      ? builderFromToken(decoded, previous.builder, (await knownSigningSecret(token)) ?? previous.builder.signingSecret)
      : { ...previous.builder, alg: 'HS256' as const, claims: prettyClaims(contractClaims({ ...context, sub: EXAMPLE_USER })) };
  const keys = request.keys;
  return {
    input: authorizationText(authorization),
    profile: request.profile ?? DEFAULT_PROFILE,
    secret: request.secret ?? '',
    keySet: keys && keys !== 'unavailable' ? JSON.stringify(keys, null, 2) : '',
    keySetUnavailable: keys === 'unavailable',
    algorithm: request.algorithm ?? DEFAULT_KEY_SET_ALGORITHM,
    secretOmitted: false,
    sender: null,
    answer: previous.answer,
    clock: { live: false, at: request.now ?? Math.floor(now), byCase: true },
    leeway: request.leeway ?? DEFAULT_LEEWAY,
    pathUserId: request.pathUserId ?? '',
    requiredRole: request.requiredRole ?? '',
    issuer: request.issuer ?? '',
    audience: request.audience ?? '',
    url: previous.url,
    builder,
    caseName: scenario.name,
    built: null,
  };
}
