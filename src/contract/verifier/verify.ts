/**
 * The verifier: takes a verdict request and returns the answer the backend must send, with the trace of
 * every check in contract order. Whatever the input (hostile JSON, huge strings, wrong types), it returns
 * exactly one outcome of the contract and never throws.
 */
import { compactVerify } from 'jose';
import { type BearerParse, parseAuthorization } from './authorization.ts';
import {
  type CheckId,
  type Code,
  KEY_SET_ALGORITHMS,
  MIN_SECRET_BYTES,
  REQUIRED_CLAIMS,
  type Status,
  checksFor,
  keySetAlgorithm,
  outcomeFor,
} from '../data/contract.ts';
import { describeKey, findKey, importPublicKey } from './key-set.ts';
import { type DecodedToken, decodeToken } from '../codec/decode.ts';
import { describeType, show } from './describe.ts';
import { readRequest } from './request.ts';
import { secretHints } from './secret-hints.ts';
import { formatDuration, formatUtc, looksLikeMilliseconds } from './time.ts';

export type { VerdictRequest } from './request.ts';

/** The reason when a key-set profile has no key set at all. */
export const NO_KEY_SET = 'No key set is configured (AUTH_JWKS_URL is not set).';

export type CheckState = 'passed' | 'failed' | 'skipped' | 'not-reached';

export interface TraceStep {
  order: number;
  check: CheckId;
  title: string;
  state: CheckState;
  message: string;
}

export interface Verdict {
  status: Status;
  code: Code | null;
  /** The id of the failing check, or null for 200. */
  check: CheckId | null;
  wwwAuthenticate: string | null;
  body: { detail: string; code: Code } | null;
  trace: TraceStep[];
}

/** The verdict plus what the playground shows beside it. */
export interface Evaluation {
  verdict: Verdict;
  bearer: BearerParse;
  decoded?: DecodedToken;
  /** The clock and leeway the checks used. */
  now: number;
  leeway: number;
  /** Advice found on the way (a secret that would have matched, a session token instead of a JWT...). */
  hints: string[];
  /** Problems with the request itself (wrong types), which were read as "not given". */
  requestNotes: string[];
}

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

const encoder = new TextEncoder();


/** Runs every check in order and returns the verdict with its trace, and what was learned on the way. */
export async function evaluate(input: unknown): Promise<Evaluation> {
  const requestNotes: string[] = [];
  const settings = readRequest(input, requestNotes);
  const { now, leeway, profile } = settings;
  const trace: TraceStep[] = checksFor(profile).map((outcome) => ({
    order: outcome.order,
    check: outcome.check,
    title: outcome.title,
    state: 'not-reached' as CheckState,
    message: 'Not reached: an earlier check failed.',
  }));
  const hints: string[] = [];
  const bearer = parseAuthorization(settings.authorization);
  let decoded: DecodedToken | undefined;

  const step = (check: CheckId) => trace.find((candidate) => candidate.check === check)!;
  const pass = (check: CheckId, message: string) => Object.assign(step(check), { state: 'passed', message });
  const skip = (check: CheckId, message: string) => Object.assign(step(check), { state: 'skipped', message });
  const fail = (code: Code, message: string): Evaluation => {
    const outcome = outcomeFor(code, profile);
    Object.assign(step(outcome.check), { state: 'failed', message });
    return {
      verdict: {
        status: outcome.status,
        code,
        check: outcome.check,
        wwwAuthenticate: outcome.wwwAuthenticate,
        body: { detail: outcome.detail, code },
        trace,
      },
      bearer,
      decoded,
      now,
      leeway,
      hints,
      requestNotes,
    };
  };

  // 0. The keys: the secret (hs256, both), the key set and its algorithm (jwks, both)
  const secret = settings.secret;
  const usesSecret = profile !== 'jwks';
  const usesKeySet = profile !== 'hs256';
  if (usesSecret && (secret === null || secret === '')) {
    return fail('server_misconfigured', secret === '' ? 'BETTER_AUTH_SECRET is empty.' : 'BETTER_AUTH_SECRET is not set.');
  }
  if (usesKeySet && settings.keys === null) return fail('server_misconfigured', NO_KEY_SET);
  if (usesKeySet && settings.algorithm === null) {
    return fail(
      'server_misconfigured',
      `The configured algorithm ${show(settings.algorithmText)} is not one of ${KEY_SET_ALGORITHMS.join(', ')} (Ed25519 counts as EdDSA).`,
    );
  }
  const secretBytes = encoder.encode(secret ?? '');
  const secretWords =
    secretBytes.length < MIN_SECRET_BYTES
      ? `BETTER_AUTH_SECRET is set, but only ${secretBytes.length} bytes long: use at least ${MIN_SECRET_BYTES} random bytes in production.`
      : `BETTER_AUTH_SECRET is set (${secretBytes.length} bytes).`;
  const keySetWords = `A key set is configured for ${settings.algorithm}.`;
  if (profile === 'hs256') pass('secret', secretWords);
  else pass('key-source', profile === 'jwks' ? keySetWords : `${secretWords} ${keySetWords}`);

  // 1, 2. One credential, with the Bearer scheme and a token
  if (bearer.kind === 'duplicate') {
    return fail('duplicate_credentials', `${bearer.count} Authorization headers were sent; exactly one is allowed.`);
  }
  pass('single-credential', settings.authorization === null ? 'No Authorization header was sent.' : 'One Authorization header.');
  if (bearer.kind === 'missing') {
    const message = {
      'no-header': 'No Authorization header was sent.',
      'empty-header': 'The Authorization header is empty.',
      'other-scheme': `The scheme is "${show(bearer.scheme ?? '').slice(1, -1)}", not Bearer.`,
      'empty-token': 'The Bearer scheme is followed by no token.',
    }[bearer.reason];
    if (bearer.reason === 'other-scheme' && bearer.scheme && /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\./.test(bearer.scheme)) {
      hints.push('The header holds a bare token: prefix it with "Bearer ".');
    }
    return fail('missing_token', message);
  }
  pass('bearer', `Scheme "${bearer.scheme}", token of ${bearer.token.length} characters.`);

  // 3. Structure
  decoded = decodeToken(bearer.token);
  hints.push(...decoded.hints);
  if (!decoded.wellFormed) {
    const extra = decoded.problems.length > 1 ? ` (and ${decoded.problems.length - 1} more problem${decoded.problems.length > 2 ? 's' : ''})` : '';
    return fail('malformed_token', `${decoded.problems[0]}${extra}.`);
  }
  pass('structure', 'Three base64url segments; header and payload are JSON objects.');
  const header = decoded.header!;
  const claims = decoded.payload!;

  // 4. Algorithm: the profile decides which algorithms are accepted and which way each goes
  const configured = settings.algorithm!;
  const tokenKeySetAlg = keySetAlgorithm(header.alg);
  const path: 'secret' | 'key-set' | null =
    header.alg === 'HS256' && usesSecret ? 'secret' : usesKeySet && tokenKeySetAlg === configured ? 'key-set' : null;
  if (path === null) {
    const got = 'alg' in header ? `"alg" is ${show(header.alg)}` : 'The header has no "alg"';
    const accepted = [usesSecret && '"HS256"', usesKeySet && `"${configured}"${configured === 'EdDSA' ? ' (or "Ed25519")' : ''}`].filter(Boolean);
    if (profile === 'hs256' && tokenKeySetAlg) {
      hints.push(
        `alg ${header.alg} is a key-pair signature, as Better Auth's JWT plugin makes them (EdDSA by default): it is verified with the public keys of the app's key set (/api/auth/jwks), never with BETTER_AUTH_SECRET. The hs256 profile accepts only HS256: verify these tokens with the jwks profile, or issue HS256 tokens from a token route.`,
      );
    }
    const why = profile === 'jwks' && header.alg === 'HS256' ? ' A public key is never used as an HMAC secret.' : '';
    return fail('unsupported_alg', `${got}; this backend accepts only ${accepted.join(' or ')}.${why}`);
  }
  pass('alg', path === 'secret' ? 'alg is HS256.' : `alg is ${show(header.alg)}, the configured algorithm.`);

  // 5. Header parameters: no critical extensions; on the key-set path a kid to look the key up by
  if (Object.hasOwn(header, 'crit')) {
    return fail('invalid_header', `The header has "crit": ${show(header.crit)}; tokens with critical extensions are rejected.`);
  }
  const kid = header.kid;
  if (path === 'key-set' && (typeof kid !== 'string' || kid === '')) {
    const got = !Object.hasOwn(header, 'kid') ? 'The header has no "kid"' : `"kid" is ${describeType(kid)}`;
    return fail('invalid_header', `${got}; on the key-set path a non-empty string kid names the key.`);
  }
  const ignoredNames = path === 'secret' ? ['kid', 'jku', 'x5u', 'jwk', 'x5c'] : ['jku', 'x5u', 'jwk', 'x5c'];
  const ignored = ignoredNames.filter((name) => Object.hasOwn(header, name));
  const kidWords = path === 'key-set' ? `kid ${show(kid)}. ` : '';
  pass('crit', `No crit. ${kidWords}${ignored.length ? `Ignored, never used to find a key: ${ignored.join(', ')}.` : ''}`.trim());

  // 6. The key (key-set path only)
  let verifyKey: Uint8Array | CryptoKey = secretBytes;
  let keyWords = 'HMAC-SHA256 with this secret';
  if (path === 'key-set') {
    if (settings.keys === 'unavailable') {
      return fail('keys_unavailable', 'The backend has no key set it can use: the fetch failed and none was fetched before (or a needed refetch failed).');
    }
    const lookup = findKey(settings.keys!, kid as string, configured);
    if (!lookup.found) return fail('unknown_key', `${lookup.reason} Keys are never taken from the token.`);
    const imported = await importPublicKey(lookup.key, header.alg as string);
    if (!imported) return fail('unknown_key', `The key ${describeKey(lookup.key)} cannot be read as a ${configured} public key.`);
    verifyKey = imported;
    keyWords = `the ${describeKey(lookup.key)}`;
    pass('key', `Using the ${describeKey(lookup.key)} from the key set.`);
  } else if (usesKeySet) skip('key', 'An HS256 token: the secret verifies it, not the key set.');

  // 7. Signature, before any claim is trusted or reported
  let signatureOk = false;
  try {
    await compactVerify(bearer.token, verifyKey, { algorithms: [header.alg as string] });
    signatureOk = true;
  } catch {
    signatureOk = false;
  }
  if (!signatureOk) {
    const signature = decoded.segments[2]!;
    if (path === 'secret') hints.push(...(await secretHints(bearer.token, secret!)));
    else if (signature.bytes && signature.bytes[0] === 0x30 && (configured === 'ES256' || configured === 'ES512')) {
      hints.push('The signature looks DER-encoded (it starts with 0x30). JWS ECDSA signatures are the raw r || s bytes; convert the signer\'s output.');
    }
    const rawLength = path === 'secret' ? 32 : configured === 'ES256' ? 64 : configured === 'ES512' ? 132 : configured === 'EdDSA' ? 64 : null;
    const why =
      signature.text === ''
        ? 'The signature is empty.'
        : rawLength !== null && signature.bytes && signature.bytes.length !== rawLength
          ? `The signature is ${signature.bytes.length} bytes long; ${path === 'secret' ? 'HMAC-SHA256' : configured} gives ${rawLength}.`
          : `The signature does not match the header and payload under ${keyWords}.`;
    return fail('bad_signature', `${why} The claims are not trusted, so they are not checked.`);
  }
  pass('signature', path === 'secret' ? 'HMAC-SHA256 with this secret matches (constant-time comparison).' : `The signature verifies with ${keyWords}.`);

  // 7. Required claims present
  const missing = REQUIRED_CLAIMS.find((name) => !Object.hasOwn(claims, name));
  if (missing) {
    if (Object.hasOwn(claims, 'session') && Object.hasOwn(claims, 'user')) {
      hints.push(
        'The payload has "session" and "user" at the top: this is Better Auth\'s cookie cache (strategy "jwt"), signed with the same secret. Never accept it as an API token; require sub, email and aud.',
      );
    }
    return fail('missing_claim', `The payload has no "${missing}" claim.`);
  }
  pass('claims-present', 'sub, email, iat and exp are present.');

  // 8. Claim types
  const typeProblem = (): string | null => {
    for (const name of ['sub', 'email'] as const) {
      const value = claims[name];
      if (typeof value !== 'string') return `"${name}" is ${describeType(value)}; expected a non-empty string.`;
      if (value === '') return `"${name}" is an empty string.`;
    }
    for (const name of ['iat', 'exp', 'nbf'] as const) {
      if (name === 'nbf' && !Object.hasOwn(claims, 'nbf')) continue;
      const value = claims[name];
      if (!isFiniteNumber(value)) return `"${name}" is ${describeType(value)}; expected a finite number of seconds since the epoch.`;
    }
    if (Object.hasOwn(claims, 'role') && typeof claims.role !== 'string') {
      return `"role" is ${describeType(claims.role)}; expected a string (a comma-separated list is fine).`;
    }
    return null;
  };
  const problem = typeProblem();
  if (problem) return fail('invalid_claim', problem);
  pass('claim-types', 'sub and email are non-empty strings; iat, exp' + (Object.hasOwn(claims, 'nbf') ? ', nbf' : '') + ' are numbers.');

  const exp = claims.exp as number;
  const iat = claims.iat as number;
  const nbf = claims.nbf as number | undefined;

  // 9. Expiry
  if (now >= exp + leeway) {
    const when = now === exp ? 'Expires exactly now' : `Expired ${formatDuration(now - exp)} before now`;
    return fail('token_expired', `${when} (exp ${formatUtc(exp)}, leeway ${leeway} s): a token is valid only while now < exp + leeway.`);
  }
  pass(
    'expiry',
    exp > now
      ? `Expires in ${formatDuration(exp - now)} (exp ${formatUtc(exp)}).`
      : `Expired ${formatDuration(now - exp)} ago, still accepted within the ${leeway} s leeway.`,
  );

  // 10. Not before
  // A time in milliseconds lands tens of thousands of years ahead: name the unit, not the clocks.
  const inFuture = (name: string, value: number, cause = '') =>
    `${name} is ${formatDuration(value - now)} in the future, beyond the ${leeway} s leeway` +
    (looksLikeMilliseconds(value) ? `: ${value} is a time in milliseconds, not seconds since the epoch.` : cause ? `: ${cause}` : '.');
  if (nbf !== undefined && nbf > now + leeway) {
    return fail('token_not_yet_valid', inFuture('nbf', nbf));
  }
  if (iat > now + leeway) {
    return fail('token_not_yet_valid', inFuture('iat', iat, "the issuer's clock runs ahead of this server's."));
  }
  pass('not-before', iat > now ? `Issued ${formatDuration(iat - now)} in the future, within the leeway.` : `Issued ${formatDuration(now - iat)} ago.`);

  // 11. Issuer
  if (settings.issuer === null) skip('issuer', 'No issuer configured: iss is not checked.');
  else if (claims.iss !== settings.issuer) {
    const got = Object.hasOwn(claims, 'iss') ? `iss is ${show(claims.iss)}` : 'The token has no iss';
    return fail('wrong_issuer', `${got}; expected ${show(settings.issuer)}.`);
  } else pass('issuer', `iss is ${show(settings.issuer)}.`);

  // 12. Audience
  if (settings.audience === null) skip('audience', 'No audience configured: aud is not checked.');
  else {
    const aud = claims.aud;
    const ok =
      aud === settings.audience ||
      (Array.isArray(aud) && aud.every((item) => typeof item === 'string') && aud.includes(settings.audience));
    if (!ok) {
      const got = Object.hasOwn(claims, 'aud') ? `aud is ${show(aud)}` : 'The token has no aud';
      return fail('wrong_audience', `${got}; expected ${show(settings.audience)} or an array of strings containing it.`);
    }
    pass('audience', `aud contains ${show(settings.audience)}.`);
  }

  // 13. Same user
  const sub = claims.sub as string;
  if (settings.pathUserId === null) skip('user', 'The route is not scoped to a user.');
  else if (settings.pathUserId !== sub) {
    return fail('user_mismatch', `The path is for user ${show(settings.pathUserId)}, the token for ${show(sub)}.`);
  } else pass('user', `The path user is the token's sub (${show(sub)}).`);

  // 14. Role
  if (settings.requiredRole === null) skip('role', 'The route needs no role.');
  else {
    const roles = typeof claims.role === 'string' ? claims.role.split(',').map((item) => item.replace(/^ +| +$/g, '')) : [];
    if (!roles.includes(settings.requiredRole)) {
      const got = typeof claims.role === 'string' ? `role is ${show(claims.role)}` : 'The token has no role claim';
      return fail('insufficient_role', `${got}; the route needs ${show(settings.requiredRole)}.`);
    }
    pass('role', `role includes ${show(settings.requiredRole)}.`);
  }

  return {
    verdict: { status: 200, code: null, check: null, wwwAuthenticate: null, body: null, trace },
    bearer,
    decoded,
    now,
    leeway,
    hints,
    requestNotes,
  };
}

/** The verdict alone, as the CLI and the vectors speak it. */
export async function verdict(request: unknown): Promise<Verdict> {
  return (await evaluate(request)).verdict;
}

/** Whether a value is the failure of a given check, for tests and tables. */
export function failedCheck(result: Verdict): TraceStep | undefined {
  return result.trace.find((step) => step.state === 'failed');
}
