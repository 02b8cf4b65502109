/**
 * Diagnosis: the likely cause behind an answer, in words, beyond the failing check's own message. Pure:
 * it reads the pasted text, what was read from it and the engine's evaluation, and never changes the
 * verdict. Each finding may carry a one-click fix (the pasted text, corrected) and a docs path.
 */
import { REQUIRED_CLAIMS } from '../data/contract.ts';
import { type ExtractedAuthorization, authorizationValues } from './authorization.ts';
import { type Evaluation, NO_KEY_SET, failedCheck } from './verify.ts';
import { usesKeySet } from './signature-check.ts';
import { looksLikeMilliseconds } from './time.ts';

export { keyUsed, signatureCheck, usesKeySet } from './signature-check.ts';

export interface Finding {
  /** Stable name of the finding, for tests and styling. */
  id:
    | 'cookie-only'
    | 'no-authorization'
    | 'line-breaks'
    | 'quotes'
    | 'url-encoded'
    | 'key-pair-alg'
    | 'no-key-set'
    | 'milliseconds'
    | 'issuer-slash'
    | 'missing-claims'
    | 'huge-header';
  text: string;
  /** The pasted text with the problem removed, and the button's label. */
  fix?: { label: string; input: string };
  /** A docs page (site path, without the base) that explains it. */
  docs?: string;
}

/** Above this many bytes, proxies and servers commonly refuse a header line (nginx's default buffer is 8 KB). */
export const HEADER_WARN_BYTES = 8 * 1024;
/** Key-pair algorithms Better Auth's JWT plugin signs with (EdDSA by default); Ed25519 is EdDSA's RFC 9864 name. */
const KEY_PAIR_ALGS = ['EdDSA', 'Ed25519', 'ES256', 'ES512', 'RS256', 'PS256'];

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

/** Replaces the first occurrence of `token` in `text`, or the whole text when it is not found. */
function replaceToken(text: string, token: string, fixed: string): string {
  const at = text.indexOf(token);
  return at === -1 ? fixed : `${text.slice(0, at)}${fixed}${text.slice(at + token.length)}`;
}

export interface DiagnoseInput {
  /** The pasted text, as typed. */
  text: string;
  extracted: ExtractedAuthorization;
  evaluation: Evaluation;
  /** The issuer the backend expects, when configured. */
  issuer?: string;
}

/** What probably went wrong, most useful first. */
export function diagnose({ text, extracted, evaluation, issuer }: DiagnoseInput): Finding[] {
  const findings: Finding[] = [];
  const { verdict, bearer, decoded } = evaluation;
  const values = authorizationValues(extracted.authorization);

  // Where the credential went
  if (values.length === 0 && extracted.cookie) {
    findings.push({
      id: 'cookie-only',
      text: 'A Cookie header was sent, but the API reads only the Authorization header: cookies never reach its checks. Send the JWT as Authorization: Bearer <token>.',
      docs: '/reference/frontend/',
    });
  } else if (values.length === 0 && (extracted.source === 'request' || extracted.source === 'curl')) {
    findings.push({
      id: 'no-authorization',
      text: 'The request carries no Authorization header, so the backend answers missing_token whatever else it holds.',
    });
  }

  const largest = values.reduce((max, value) => Math.max(max, utf8Length(value)), 0);
  if (largest > HEADER_WARN_BYTES) {
    findings.push({
      id: 'huge-header',
      text: `The Authorization header is ${(largest / 1024).toFixed(1)} KB. Proxies and servers commonly reject header lines above 8 KB (nginx, load balancers; Node refuses all headers above 16 KB) with 400 or 431 before the API sees the request. Keep the payload small: ids, not the whole user.`,
    });
  }

  if (bearer.kind === 'token') {
    const token = bearer.token;
    // Copy-paste damage, each with a one-click fix
    const breaks = token.match(/\r\n|[\r\n]/g)?.length ?? 0;
    if (breaks > 0) {
      const fixed = token.replace(/\s+/g, '');
      findings.push({
        id: 'line-breaks',
        text: `The token holds ${breaks} line break${breaks === 1 ? '' : 's'} (a wrapped copy from a terminal, a log or an e-mail). A JWT is one line.`,
        fix: { label: 'Remove the line breaks', input: replaceToken(text, token, fixed) },
      });
    }
    if (/["']/.test(token)) {
      const fixed = token.replace(/["']/g, '');
      findings.push({
        id: 'quotes',
        text: 'The token holds quotes (copied from JSON or a shell command with them). Quotes are never part of a JWT.',
        fix: { label: 'Remove the quotes', input: replaceToken(text, token, fixed) },
      });
    }
    if (/%[0-9A-Fa-f]{2}/.test(token)) {
      let fixed: string | null = null;
      try {
        fixed = decodeURIComponent(token);
      } catch {
        fixed = null;
      }
      findings.push({
        id: 'url-encoded',
        text: 'The token is URL-encoded (%2B, %3D, %2F: as a cookie value stores it). A JWT never needs encoding; and a value with "+", "/" or "=" once decoded is no JWT but a cookie (for example Better Auth\'s session token). Send the JWT from the token route instead.',
        fix: fixed !== null && fixed !== token ? { label: 'URL-decode it', input: replaceToken(text, token, fixed) } : undefined,
      });
    }
  }

  const header = decoded?.header;
  const alg = typeof header?.alg === 'string' ? header.alg : undefined;
  if (failedCheck(verdict)?.message === NO_KEY_SET) {
    findings.push({
      id: 'no-key-set',
      text: 'The backend has no key set yet: paste the JSON of your app\'s /api/auth/jwks in "Backend key set" (Backend settings), or press "Use the test key set" there.',
      docs: '/concepts/profiles/',
    });
  }
  // In the hs256 profile the engine's own hint says where such a token belongs (the CLI prints it too).
  if (verdict.check === 'alg' && alg !== undefined && KEY_PAIR_ALGS.includes(alg) && usesKeySet(evaluation)) {
    findings.push({
      id: 'key-pair-alg',
      text: `alg ${alg} is a key-pair signature, but not the algorithm this backend is configured with (AUTH_JWT_ALG). Configure the algorithm the JWT plugin signs with (jwt.jwks.keyPairConfig.alg, EdDSA by default): one algorithm, never a list taken from the token.`,
      docs: '/concepts/profiles/',
    });
  }

  const payload = decoded?.payload;
  if (payload) {
    for (const name of ['iat', 'nbf', 'exp'] as const) {
      const value = payload[name];
      if (typeof value === 'number' && looksLikeMilliseconds(value)) {
        findings.push({
          id: 'milliseconds',
          text: `${name} is ${value}: that is milliseconds (Date.now()), not seconds. A NumericDate counts seconds: use Math.floor(Date.now() / 1000).`,
        });
      }
    }
    if (issuer !== undefined && issuer !== '' && typeof payload.iss === 'string' && payload.iss !== issuer && payload.iss.replace(/\/+$/, '') === issuer.replace(/\/+$/, '')) {
      findings.push({
        id: 'issuer-slash',
        text: `iss is "${payload.iss}" and the backend expects "${issuer}": they differ only by a trailing slash, and issuers are compared exactly. Configure both sides with the same string (Better Auth uses its base URL without a slash).`,
      });
    }
    if (verdict.code === 'missing_claim') {
      const missing = REQUIRED_CLAIMS.filter((name) => !Object.hasOwn(payload, name));
      if (missing.length > 1) {
        findings.push({
          id: 'missing-claims',
          text: `Missing required claims: ${missing.join(', ')} (the backend names only the first). Every token needs ${REQUIRED_CLAIMS.join(', ')}.`,
        });
      }
    }
  }
  return findings;
}

/** What the signature line should say about what was actually checked. */
