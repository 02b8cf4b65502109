/**
 * The contract as data: constants, the ordered checks and every outcome the backend can answer.
 * The docs render their tables from this module and the verifier reads its answers from it, so a
 * rule lives in exactly one place.
 */

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

export type Status = 200 | 400 | 401 | 403 | 500;
export type ErrorAttribute = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

export type CheckId =
  | 'secret'
  | 'single-credential'
  | 'bearer'
  | 'structure'
  | 'alg'
  | 'crit'
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
  | 'bad_signature'
  | 'missing_claim'
  | 'invalid_claim'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'user_mismatch'
  | 'insufficient_role';

/** What the frontend does with an answer. */
export type FrontendAction = 'none' | 'report' | 'fix-client' | 'get-token' | 'refresh-once' | 'do-not-retry';

export interface Outcome {
  /** Position in the order of checks (0 first). */
  order: number;
  check: CheckId;
  /** Short name of the check. */
  title: string;
  /** What passes the check. */
  requirement: string;
  /** What fails it. */
  failure: string;
  /** Whether the check always runs or only when the backend or route asks for it. */
  when: 'always' | 'issuer configured' | 'audience configured' | 'route scoped to a user' | 'route needs a role';
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
    title: 'Algorithm is HS256',
    requirement: 'The header says "alg": "HS256", exactly.',
    failure: 'none, HS384, HS512, RS256, ES256, a missing alg, any other spelling.',
    when: 'always',
    status: 401,
    code: 'unsupported_alg',
    error: 'invalid_token',
    detail: 'The token must be signed with HS256.',
    action: 'refresh-once',
  },
  {
    check: 'crit',
    title: 'No critical extensions',
    requirement: 'The header has no crit parameter.',
    failure: 'A crit parameter, whatever it lists.',
    when: 'always',
    status: 401,
    code: 'invalid_header',
    error: 'invalid_token',
    detail: 'The token header contains a parameter this API does not accept (crit).',
    action: 'refresh-once',
  },
  {
    check: 'signature',
    title: 'Signature matches',
    requirement: 'HMAC-SHA256 over "header.payload" with the UTF-8 bytes of BETTER_AUTH_SECRET, compared in constant time.',
    failure: 'Any other signature: another secret, a tampered header or payload, an empty signature.',
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
export const OUTCOMES: readonly Outcome[] = SEEDS.map((seed, order) => {
  const challenge = seed.challenge ?? true;
  return { ...seed, order, challenge, wwwAuthenticate: challenge ? challengeHeader(seed.error) : null };
});

/** The answer when every check passes. */
export const SUCCESS = {
  status: 200 as const,
  code: null,
  wwwAuthenticate: null,
  body: null,
  action: 'none' as FrontendAction,
};

export function outcomeFor(code: Code): Outcome {
  const outcome = OUTCOMES.find((candidate) => candidate.code === code);
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
};

/** What the frontend should do with each kind of answer, in words. */
export const ACTION_TEXT: Record<FrontendAction, string> = {
  none: 'Nothing: the request succeeded. Keep using the cached token until shortly before it expires.',
  report:
    'Nothing the frontend can fix: the backend is misconfigured. Show a generic error and report it; retrying will not help.',
  'fix-client':
    'A bug in the client: it sent more than one Authorization header. Fix the code that builds the request; do not retry.',
  'get-token':
    'The header never arrived. Fetch a token from the Next.js app and retry once with Authorization: Bearer <token>; if the app answers that there is no session, the user signs in. If the request did carry the header, a proxy or the CORS setup is dropping it: report it, do not loop.',
  'refresh-once':
    'Fetch a fresh token once and retry the request once. If the app answers that there is no session, the user signs in. If the fresh token is refused too, the problem is configuration or clocks, not the user: show an error and report it; do not send the user to sign in (it would loop).',
  'do-not-retry':
    'Do not retry and do not refresh: the user is signed in but not allowed. Show a "not allowed" message.',
};
