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
  /** What passes the check. */
  requirement: string;
  /** What fails it. */
  failure: string;
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
    requirement: 'The backend has a non-empty BETTER_AUTH_SECRET.',
    failure: 'No secret, or an empty one.',
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
    requirement: 'jwks: the backend has a key set URL (AUTH_JWKS_URL) and a supported algorithm; both: that and a non-empty BETTER_AUTH_SECRET.',
    failure: 'No key set URL, no secret in the both profile, or an algorithm the contract does not offer.',
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
    requirement: 'At most one Authorization header.',
    failure: 'Two or more Authorization headers.',
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
    requirement: 'An Authorization header with the Bearer scheme (any letter case) and a non-empty token.',
    failure: 'No header, another scheme (Basic, Token…), or Bearer with nothing after it.',
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
    requirement: 'Three unpadded base64url segments; header and payload decode to JSON objects.',
    failure: 'Wrong number of segments, padding, + or /, whitespace, bytes that are not JSON objects.',
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
    requirement: 'hs256: "alg" is "HS256", exactly. jwks: "alg" is the configured algorithm (EdDSA by default; Ed25519 is the same). both: either of them.',
    failure: 'none, HS384, HS512, an algorithm the backend is not configured for (HS256 in jwks), a missing alg, any other spelling.',
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
    requirement: 'The header has no crit parameter; on the key-set path it has a non-empty string kid.',
    failure: 'A crit parameter, whatever it lists; on the key-set path a missing, empty or non-string kid.',
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
    requirement: 'The key set holds a usable key with the token\'s kid: a key type and curve that fit the algorithm (RSA of at least 2048 bits), use absent or "sig", key_ops absent or with "verify", alg absent or the token\'s.',
    failure: 'No usable key with that kid, even after the one refetch the cool-down allows.',
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
    requirement: 'The backend has a key set: fetched before, or fetched now.',
    failure: 'No key set can be had: the fetch fails and none was fetched before, or a needed refetch fails.',
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
    requirement: 'HS256: HMAC-SHA256 over "header.payload" with the UTF-8 bytes of BETTER_AUTH_SECRET, compared in constant time. Key set: the key\'s signature (ECDSA as raw r||s).',
    failure: 'Any other signature: another secret or key, a tampered header or payload, an empty signature, a DER-encoded ECDSA signature.',
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
    requirement: 'The payload has sub, email, iat and exp.',
    failure: 'One of them is missing.',
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
    requirement: 'sub and email are non-empty strings; iat, exp and nbf are finite numbers; role is a string.',
    failure: 'A claim of the wrong type: "exp": "1767225600", an empty sub, exp 1e400, role as an array…',
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
    requirement: 'now < exp + leeway.',
    failure: 'The token expired more than the leeway ago.',
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
    requirement: 'nbf ≤ now + leeway and iat ≤ now + leeway.',
    failure: 'nbf or iat lies further in the future than the leeway.',
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
    requirement: 'iss equals the configured issuer (the Better Auth base URL).',
    failure: 'iss missing or different.',
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
    requirement: 'aud is the configured audience, or an array of strings that contains it.',
    failure: 'aud missing, different, or not a string or array of strings.',
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
    requirement: 'The user id in the path equals sub.',
    failure: "The token belongs to another user than the resource's.",
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
    requirement: 'The required role is one of the comma-separated values of role.',
    failure: 'No role claim, or it lacks the required role.',
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

