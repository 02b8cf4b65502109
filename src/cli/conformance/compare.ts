/**
 * Expected against actual: what an answer says, reduced to what the contract fixes (status, the challenge's
 * scheme, realm and error attribute, the JSON body's shape and code), the differences in words, and how
 * serious they are. Severities, most serious first:
 * - security: the backend accepts what it must refuse (expected an error, got 2xx);
 * - availability: it refuses what it must accept (expected 200, got an error);
 * - status: both are errors, with different statuses;
 * - format: the status is right, but the code, error attribute, realm or body shape differ.
 */
import { REALM, type Status } from '../../contract/data/contract.ts';
import type { HttpAnswer } from './http.ts';

export type Severity = 'security' | 'availability' | 'status' | 'format';
export const SEVERITIES: readonly Severity[] = ['security', 'availability', 'status', 'format'];
export const SEVERITY_TITLE: Record<Severity, string> = {
  security: 'Accepts what it must refuse (security)',
  availability: 'Refuses what it must accept (availability)',
  status: 'Wrong status',
  format: 'Format only (status right)',
};

/** What an answer says, reduced to what the contract fixes. */
export interface Answer {
  status: number;
  /** Whether a WWW-Authenticate header was sent. */
  challenge: boolean;
  /** The scheme of the challenge, e.g. "Bearer". */
  scheme: string | null;
  /** Its `realm` attribute. */
  realm: string | null;
  /** Its `error` attribute, e.g. "invalid_token". */
  error: string | null;
  /** Whether it has an error_description (v1.1: never sent). */
  errorDescription?: boolean;
  /** The `code` of the JSON body. */
  code: string | null;
  /** Whether the body is a JSON object with a string `detail` (only for actual answers). */
  detail?: boolean;
  /** Whether the body is JSON at all (only for actual answers). */
  json?: boolean;
  /** The Location header of a redirect. */
  location?: string;
  /** The start of the body (at most 200 characters), for diagnosis. */
  bodySnippet?: string;
}

/** No answer came; `failure` says why in a sentence. */
export interface NoAnswer {
  status: null;
  failure: string;
}

function attribute(value: string | null, name: string): string | null {
  if (value === null) return null;
  const match = value.match(new RegExp(`(?:^|[\\s,])${name}\\s*=\\s*(?:"([^"]*)"|([^",\\s]*))`, 'i'));
  return match ? (match[1] ?? match[2] ?? '') : null;
}

/** The first `limit` characters of a body, on one line. */
export function snippet(body: string, limit = 200): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > limit ? `${flat.slice(0, limit - 1)}…` : flat;
}

export function answerOf(reply: HttpAnswer): Answer {
  const challenges = reply.distinct['www-authenticate'] ?? [];
  const joined = challenges.length ? challenges.join(', ') : null;
  let code: string | null = null;
  let detail = false;
  let json = false;
  try {
    const body: unknown = JSON.parse(reply.body);
    json = true;
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      const fields = body as { code?: unknown; detail?: unknown };
      if (typeof fields.code === 'string') code = fields.code;
      detail = typeof fields.detail === 'string';
    }
  } catch {
    // Not JSON: code stays null.
  }
  const answer: Answer = {
    status: reply.status,
    challenge: joined !== null,
    scheme: joined?.trim().split(/\s+/)[0] ?? null,
    realm: attribute(joined, 'realm'),
    error: attribute(joined, 'error'),
    errorDescription: attribute(joined, 'error_description') !== null,
    code,
    detail,
    json,
  };
  const location = reply.headers.location;
  if (location) answer.location = location;
  if (reply.body) answer.bodySnippet = snippet(reply.body);
  return answer;
}

export function expectedOf(verdict: { status: Status; code: string | null; wwwAuthenticate: string | null }): Answer {
  return {
    status: verdict.status,
    challenge: verdict.wwwAuthenticate !== null,
    scheme: verdict.wwwAuthenticate === null ? null : 'Bearer',
    realm: attribute(verdict.wwwAuthenticate, 'realm'),
    error: attribute(verdict.wwwAuthenticate, 'error'),
    code: verdict.code,
  };
}

const ok = (status: number) => status >= 200 && status < 300;

/** How serious a difference in status (or, with equal statuses, in format) is. */
export function severityOf(expectedStatus: number, actualStatus: number): Severity {
  if (!ok(expectedStatus) && ok(actualStatus)) return 'security';
  if (ok(expectedStatus) && !ok(actualStatus)) return 'availability';
  if (expectedStatus !== actualStatus) return 'status';
  return 'format';
}

export interface Comparison {
  differences: string[];
  severity: Severity | null;
}

export function compare(expected: Answer, actual: Answer): Comparison {
  const found: string[] = [];
  if (expected.status !== actual.status) found.push(`status ${actual.status} instead of ${expected.status}`);
  if (expected.challenge && !actual.challenge) found.push('no WWW-Authenticate header');
  if (!expected.challenge && actual.challenge) found.push('a WWW-Authenticate header where none belongs');
  if (expected.challenge && actual.challenge) {
    if (actual.scheme?.toLowerCase() !== 'bearer') found.push(`WWW-Authenticate scheme ${actual.scheme ?? '(none)'} instead of Bearer`);
    if (actual.realm !== REALM) found.push(actual.realm === null ? `WWW-Authenticate has no realm (expected realm="${REALM}")` : `WWW-Authenticate realm="${actual.realm}" instead of "${REALM}"`);
    if (expected.error !== actual.error) {
      found.push(expected.error ? `WWW-Authenticate error=${actual.error ?? '(none)'} instead of ${expected.error}` : `WWW-Authenticate has error=${actual.error} where none belongs`);
    }
    if (actual.errorDescription) found.push('WWW-Authenticate has an error_description (v1.1 sends none)');
  }
  if (expected.code !== null) {
    if (!actual.json) found.push(`the body is not JSON (expected {"detail", "code": "${expected.code}"})`);
    else if (expected.code !== actual.code) found.push(actual.code ? `code ${actual.code} instead of ${expected.code}` : `no JSON "code" (expected ${expected.code})`);
    if (actual.json && !actual.detail) found.push('the JSON body has no "detail" string');
  }
  return { differences: found, severity: found.length ? severityOf(expected.status, actual.status) : null };
}

/** An answer in a few words, e.g. `401 bad_signature error="invalid_token"`. */
export function describeAnswer(answer: Answer | NoAnswer | { text: string } | undefined): string {
  if (!answer) return '';
  if ('text' in answer) return answer.text;
  if (answer.status === null) return `no answer (${answer.failure})`;
  const parts = [String(answer.status)];
  if (answer.code) parts.push(answer.code);
  if (answer.challenge) parts.push(answer.error ? `error="${answer.error}"` : 'challenge without error');
  else if (answer.status >= 400) parts.push('no challenge');
  if (answer.location) parts.push(`→ ${answer.location}`);
  return parts.join(' ');
}
