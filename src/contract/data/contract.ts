/**
 * The contract as data: constants, the ordered checks and every outcome the backend can answer.
 * The docs render their tables from this module and the verifier reads its answers from it, so a
 * rule lives in exactly one place.
 */
import { type FrontendAction } from './actions.ts';
import { DEFAULT_PROFILE, type Profile } from './profiles.ts';

export * from './actions.ts';
export * from './profiles.ts';

export const CONTRACT_VERSION = 'v1.1';
export const REALM = 'api';
/** Clock leeway, in seconds, applied to exp, nbf and iat. */
export const DEFAULT_LEEWAY = 30;
/** Default token lifetime: exp = iat + 900. */
export const DEFAULT_LIFETIME = 900;
/** The frontend fetches a new token this many seconds before exp. */
export const REFRESH_BEFORE_EXPIRY = 60;
/** Below this many bytes a BETTER_AUTH_SECRET is too weak for production. */
export const MIN_SECRET_BYTES = 32;
export const REQUIRED_CLAIMS = ['sub', 'email', 'iat', 'exp'] as const;
/**
 * Header and payload JSON may nest at most this deep; deeper is malformed_token. The contract sets no
 * limit, but parsers do (Python's json gives up near 1,000 levels, JavaScript's goes much further), so
 * every implementation here uses the same explicit one.
 */
export const MAX_JSON_DEPTH = 256;

export type Status = 200 | 400 | 401 | 403 | 500 | 503;
export type ErrorAttribute = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

export type CheckId =
  | 'secret'
  | 'key-source'
  | 'single-credential'
  | 'bearer'
  | 'structure'
  | 'alg'
  | 'crit'
  | 'key'
  | 'signature'
  | 'claims-present'
  | 'claim-types'
  | 'expiry'
  | 'not-before'
  | 'issuer'
  | 'audience'
  | 'user'
  | 'role';

export type Code =
  | 'server_misconfigured'
  | 'duplicate_credentials'
  | 'missing_token'
  | 'malformed_token'
  | 'unsupported_alg'
  | 'invalid_header'
  | 'unknown_key'
  | 'keys_unavailable'
  | 'bad_signature'
  | 'missing_claim'
  | 'invalid_claim'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'user_mismatch'
  | 'insufficient_role';


/**
 * The order of the checks. The id is a check's identity; its place here gives the number shown in tables
 * (display only). Check 0 has one id per key source: `secret` in `hs256`, `key-source` in `jwks` and `both`.
 */
export const CHECK_ORDER: readonly (readonly CheckId[])[] = [
  ['secret', 'key-source'],
  ['single-credential'],
  ['bearer'],
  ['structure'],
  ['alg'],
  ['crit'],
  ['key'],
  ['signature'],
  ['claims-present'],
  ['claim-types'],
  ['expiry'],
  ['not-before'],
  ['issuer'],
  ['audience'],
  ['user'],
  ['role'],
];

/** The number a check is shown with (its row in the contract's table). */
export function checkNumber(check: CheckId): number {
  return CHECK_ORDER.findIndex((ids) => ids.includes(check));
}

export interface Outcome {
  /** The check's row in the contract's table (display only; derived from CHECK_ORDER). */
  order: number;
  check: CheckId;
  /** The profiles in which this check runs (every profile when absent). */
  profiles?: readonly Profile[];
  /** Short name of the check. */
  title: string;
  /** Whether the check always runs or only when the backend or route asks for it. */
  when: 'always' | 'key-set path' | 'issuer configured' | 'audience configured' | 'route scoped to a user' | 'route needs a role';
  status: Exclude<Status, 200>;
  code: Code;
  /** The `error` attribute of WWW-Authenticate, or null when the header has none or is not sent. */
  error: ErrorAttribute | null;
  /** Whether a WWW-Authenticate header is sent at all. */
  challenge: boolean;
  /** The exact WWW-Authenticate value, or null when the response has none. */
  wwwAuthenticate: string | null;
  /** The fixed human message sent as `detail` in the JSON body. */
  detail: string;
  action: FrontendAction;
}

/** The WWW-Authenticate value for a challenge with an optional error attribute. */
export function challengeHeader(error: ErrorAttribute | null): string {
  return error ? `Bearer realm="${REALM}", error="${error}"` : `Bearer realm="${REALM}"`;
}

type OutcomeSeed = Omit<Outcome, 'wwwAuthenticate' | 'order' | 'challenge'> & { challenge?: boolean };
const KEY_SET_PROFILES: readonly Profile[] = ['jwks', 'both'];

const SEEDS: OutcomeSeed[] = [
  {
    check: 'secret',
    title: 'Secret configured',
    when: 'always',
    status: 500,
    code: 'server_misconfigured',
    error: null,
    challenge: false,
    detail: 'The server has no BETTER_AUTH_SECRET configured.',
    action: 'report',
    profiles: ['hs256'],
  },
  {
    check: 'key-source',
    title: 'Keys configured',
    when: 'always',
    status: 500,
    code: 'server_misconfigured',
    error: null,
    challenge: false,
    detail: 'The server has no key set URL (AUTH_JWKS_URL) or no BETTER_AUTH_SECRET configured.',
    action: 'report',
    profiles: KEY_SET_PROFILES,
  },
  {
    check: 'single-credential',
    title: 'One credential',
    when: 'always',
    status: 400,
    code: 'duplicate_credentials',
    error: 'invalid_request',
    detail: 'Send exactly one Authorization header.',
    action: 'fix-client',
  },
  {
    check: 'bearer',
    title: 'Bearer token present',
    when: 'always',
    status: 401,
    code: 'missing_token',
    error: null,
    detail: 'Send an Authorization: Bearer <token> header.',
    action: 'get-token',
  },
  {
    check: 'structure',
    title: 'Well-formed token',
    when: 'always',
    status: 401,
    code: 'malformed_token',
    error: 'invalid_token',
    detail: 'The token is not a well-formed JWS (three base64url segments with JSON header and payload).',
    action: 'refresh-once',
  },
  {
    check: 'alg',
    title: 'Algorithm allowed',
    when: 'always',
    status: 401,
    code: 'unsupported_alg',
    error: 'invalid_token',
    detail: 'The token is signed with an algorithm this API does not accept.',
    action: 'refresh-once',
  },
  {
    check: 'crit',
    title: 'Header parameters',
    when: 'always',
    status: 401,
    code: 'invalid_header',
    error: 'invalid_token',
    detail: 'The token header is not acceptable (a crit parameter, or no key id on the key-set path).',
    action: 'refresh-once',
  },
  {
    check: 'key',
    title: 'Key found',
    when: 'key-set path',
    status: 401,
    code: 'unknown_key',
    error: 'invalid_token',
    detail: 'No key of the key set fits the token (unknown kid, or a key that cannot verify this algorithm).',
    action: 'refresh-once',
    profiles: KEY_SET_PROFILES,
  },
  {
    check: 'key',
    title: 'Key found',
    when: 'key-set path',
    status: 503,
    code: 'keys_unavailable',
    error: null,
    challenge: false,
    detail: 'The key set cannot be fetched right now; try again later.',
    action: 'retry-later',
    profiles: KEY_SET_PROFILES,
  },
  {
    check: 'signature',
    title: 'Signature matches',
    when: 'always',
    status: 401,
    code: 'bad_signature',
    error: 'invalid_token',
    detail: 'The token signature does not match.',
    action: 'refresh-once',
  },
  {
    check: 'claims-present',
    title: 'Required claims present',
    when: 'always',
    status: 401,
    code: 'missing_claim',
    error: 'invalid_token',
    detail: 'The token lacks a required claim (sub, email, iat, exp).',
    action: 'refresh-once',
  },
  {
    check: 'claim-types',
    title: 'Claim types',
    when: 'always',
    status: 401,
    code: 'invalid_claim',
    error: 'invalid_token',
    detail: 'A token claim has the wrong type.',
    action: 'refresh-once',
  },
  {
    check: 'expiry',
    title: 'Not expired',
    when: 'always',
    status: 401,
    code: 'token_expired',
    error: 'invalid_token',
    detail: 'The token has expired.',
    action: 'refresh-once',
  },
  {
    check: 'not-before',
    title: 'Already valid',
    when: 'always',
    status: 401,
    code: 'token_not_yet_valid',
    error: 'invalid_token',
    detail: 'The token is not valid yet (iat or nbf is in the future).',
    action: 'refresh-once',
  },
  {
    check: 'issuer',
    title: 'Issuer',
    when: 'issuer configured',
    status: 401,
    code: 'wrong_issuer',
    error: 'invalid_token',
    detail: 'The token was issued by another issuer.',
    action: 'refresh-once',
  },
  {
    check: 'audience',
    title: 'Audience',
    when: 'audience configured',
    status: 401,
    code: 'wrong_audience',
    error: 'invalid_token',
    detail: 'The token is meant for another audience.',
    action: 'refresh-once',
  },
  {
    check: 'user',
    title: 'Same user',
    when: 'route scoped to a user',
    status: 403,
    code: 'user_mismatch',
    error: 'insufficient_scope',
    detail: "The token's user may not access this user's resources.",
    action: 'do-not-retry',
  },
  {
    check: 'role',
    title: 'Required role',
    when: 'route needs a role',
    status: 403,
    code: 'insufficient_role',
    error: 'insufficient_scope',
    detail: 'The token lacks the role this route requires.',
    action: 'do-not-retry',
  },
];

/** Every failure outcome, in the order the backend checks them. */
export const OUTCOMES: readonly Outcome[] = SEEDS.map((seed) => {
  const challenge = seed.challenge ?? true;
  return { ...seed, order: checkNumber(seed.check), challenge, wwwAuthenticate: challenge ? challengeHeader(seed.error) : null };
});

/** Whether an outcome (or its check) belongs to a profile. */
export const inProfile = (outcome: Pick<Outcome, 'profiles'>, profile: Profile) => !outcome.profiles || outcome.profiles.includes(profile);

/** The checks a profile runs, in order, one entry per check (the first outcome of each). */
export function checksFor(profile: Profile): readonly Outcome[] {
  const seen = new Set<CheckId>();
  return OUTCOMES.filter((outcome) => inProfile(outcome, profile) && !seen.has(outcome.check) && seen.add(outcome.check));
}

/** The answer when every check passes. */
export const SUCCESS = {
  status: 200 as const,
  code: null,
  wwwAuthenticate: null,
  body: null,
  action: 'none' as FrontendAction,
};

/** The outcome of a code; server_misconfigured names check `secret` in hs256 and `key-source` otherwise. */
export function outcomeFor(code: Code, profile: Profile = DEFAULT_PROFILE): Outcome {
  const outcome =
    OUTCOMES.find((candidate) => candidate.code === code && inProfile(candidate, profile)) ??
    OUTCOMES.find((candidate) => candidate.code === code);
  if (!outcome) throw new Error(`unknown code ${code}`);
  return outcome;
}

export function outcomeForCheck(check: CheckId): Outcome {
  const outcome = OUTCOMES.find((candidate) => candidate.check === check);
  if (!outcome) throw new Error(`unknown check ${check}`);
  return outcome;
}

export const STATUS_TEXT: Record<Status, string> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

