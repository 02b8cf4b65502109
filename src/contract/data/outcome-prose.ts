/**
 * The docs' words for each outcome of the contract: what passes its check and what fails it. They live apart
 * from contract.ts because the engine, and with it the playground's up-front script, never needs them: only
 * the tables on the site (the list of checks, the request/response examples) show them.
 */
import type { Outcome } from './contract.ts';

export interface OutcomeProse {
  /** What passes the check. */
  requirement: string;
  /** What fails it. */
  failure: string;
}

/** Keyed by "check/code": the key check has two outcomes (unknown_key, keys_unavailable). */
export const OUTCOME_PROSE: Readonly<Record<string, OutcomeProse>> = {
  'secret/server_misconfigured': {
    requirement: 'The backend has a non-empty BETTER_AUTH_SECRET.',
    failure: 'No secret, or an empty one.',
  },
  'key-source/server_misconfigured': {
    requirement: 'jwks: the backend has a key set URL (AUTH_JWKS_URL) and a supported algorithm; both: that and a non-empty BETTER_AUTH_SECRET.',
    failure: 'No key set URL, no secret in the both profile, or an algorithm the contract does not offer.',
  },
  'single-credential/duplicate_credentials': {
    requirement: 'At most one Authorization header.',
    failure: 'Two or more Authorization headers.',
  },
  'bearer/missing_token': {
    requirement: 'An Authorization header with the Bearer scheme (any letter case) and a non-empty token.',
    failure: 'No header, another scheme (Basic, Token…), or Bearer with nothing after it.',
  },
  'structure/malformed_token': {
    requirement: 'Three unpadded base64url segments; header and payload decode to JSON objects.',
    failure: 'Wrong number of segments, padding, + or /, whitespace, bytes that are not JSON objects.',
  },
  'alg/unsupported_alg': {
    requirement: 'hs256: "alg" is "HS256", exactly. jwks: "alg" is the configured algorithm (EdDSA by default; Ed25519 is the same). both: either of them.',
    failure: 'none, HS384, HS512, an algorithm the backend is not configured for (HS256 in jwks), a missing alg, any other spelling.',
  },
  'crit/invalid_header': {
    requirement: 'The header has no crit parameter; on the key-set path it has a non-empty string kid.',
    failure: 'A crit parameter, whatever it lists; on the key-set path a missing, empty or non-string kid.',
  },
  'key/unknown_key': {
    requirement: 'The key set holds a usable key with the token\'s kid: a key type and curve that fit the algorithm (RSA of at least 2048 bits), use absent or "sig", key_ops absent or with "verify", alg absent or the token\'s.',
    failure: 'No usable key with that kid, even after the one refetch the cool-down allows.',
  },
  'key/keys_unavailable': {
    requirement: 'The backend has a key set: fetched before, or fetched now.',
    failure: 'No key set can be had: the fetch fails and none was fetched before, or a needed refetch fails.',
  },
  'signature/bad_signature': {
    requirement: 'HS256: HMAC-SHA256 over "header.payload" with the UTF-8 bytes of BETTER_AUTH_SECRET, compared in constant time. Key set: the key\'s signature (ECDSA as raw r||s).',
    failure: 'Any other signature: another secret or key, a tampered header or payload, an empty signature, a DER-encoded ECDSA signature.',
  },
  'claims-present/missing_claim': {
    requirement: 'The payload has sub, email, iat and exp.',
    failure: 'One of them is missing.',
  },
  'claim-types/invalid_claim': {
    requirement: 'sub and email are non-empty strings; iat, exp and nbf are finite numbers; role is a string.',
    failure: 'A claim of the wrong type: "exp": "1767225600", an empty sub, exp 1e400, role as an array…',
  },
  'expiry/token_expired': {
    requirement: 'now < exp + leeway.',
    failure: 'The token expired more than the leeway ago.',
  },
  'not-before/token_not_yet_valid': {
    requirement: 'nbf ≤ now + leeway and iat ≤ now + leeway.',
    failure: 'nbf or iat lies further in the future than the leeway.',
  },
  'issuer/wrong_issuer': {
    requirement: 'iss equals the configured issuer (the Better Auth base URL).',
    failure: 'iss missing or different.',
  },
  'audience/wrong_audience': {
    requirement: 'aud is the configured audience, or an array of strings that contains it.',
    failure: 'aud missing, different, or not a string or array of strings.',
  },
  'user/user_mismatch': {
    requirement: 'The user id in the path equals sub.',
    failure: "The token belongs to another user than the resource's.",
  },
  'role/insufficient_role': {
    requirement: 'The required role is one of the comma-separated values of role.',
    failure: 'No role claim, or it lacks the required role.',
  },
};

/** The words for one outcome; a missing entry fails the build instead of leaving a table cell empty. */
export function outcomeProse(outcome: Pick<Outcome, 'check' | 'code'>): OutcomeProse {
  const prose = OUTCOME_PROSE[`${outcome.check}/${outcome.code}`];
  if (!prose) throw new Error(`No requirement and failure text for ${outcome.check}/${outcome.code} in outcome-prose.ts`);
  return prose;
}
