/**
 * Diagnosis first: when the run cannot mean much (the valid token is refused, every answer is a redirect, a
 * 404 or a server error), say so before any mismatch, with the server's status, Location, the start of its
 * body and the likely fix. Also hints for single mismatches with a known cause (a proxy joining headers).
 */
import { byteLength } from './secret.ts';
import type { Answer } from './compare.ts';
import type { ConformanceOptions } from './options.ts';
import type { Result } from './result.ts';
import { keySetRefusalHint, validScenarioName } from './key-set/profile.ts';

export interface Finding {
  /** What is wrong, in a sentence. */
  problem: string;
  /** What the server answered: status, Location and the start of the body. */
  evidence: string[];
  hint: string;
}

const answered = (result: Result): result is Result & { actual: Answer } => Boolean(result.actual && result.actual.status !== null);

function evidence(answer: Answer): string[] {
  const lines = [`status ${answer.status}${answer.code ? ` (code ${answer.code})` : ''}`];
  if (answer.location) lines.push(`Location: ${answer.location}`);
  if (answer.bodySnippet) lines.push(`body: ${answer.bodySnippet}`);
  return lines;
}

function secretHint(secret: string): string {
  const bytes = byteLength(secret);
  const parts = [`The secret given is ${bytes} bytes of UTF-8 text.`];
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(secret) && secret.length % 4 === 0) parts.push('It looks like base64: the backend must use the text itself, never base64-decode it.');
  if (/^\s|\s$/.test(secret) || /^["']|["']$/.test(secret)) parts.push('It starts or ends with a space or a quote: was it copied with them?');
  parts.push('Is it the backend\'s BETTER_AUTH_SECRET, byte for byte (no trailing newline, no quotes)?');
  return parts.join(' ');
}

function validRefused(answer: Answer, options: ConformanceOptions): string {
  const keySetHint = keySetRefusalHint(answer, options);
  if (keySetHint) return keySetHint;
  const status = answer.status;
  if (status >= 300 && status < 400) return `A redirect${answer.location ? ` to ${answer.location}` : ''}: give --base-url as the backend's final URL (https? a path prefix?) or the right --me-path.`;
  if (status === 404) return `No route at ${options.mePath}: give a route that needs a valid token with --me-path (and check the path prefix in --base-url).`;
  if (status === 403) return `${options.mePath} needs more than a valid token (a role, a user?): give a route any signed-in user may call with --me-path.`;
  if (status >= 500) return 'The backend failed: see its log (is BETTER_AUTH_SECRET set there? Any exception?).';
  switch (answer.code) {
    case 'bad_signature':
      return secretHint(options.secret);
    case 'wrong_issuer':
      return options.issuer ? `The backend expects another issuer than --issuer ${options.issuer}: give its AUTH_ISSUER.` : "The backend checks an issuer: give it with --issuer (the backend's AUTH_ISSUER).";
    case 'wrong_audience':
      return options.audience
        ? `The backend expects another audience than --audience ${options.audience}: give its AUTH_AUDIENCE.`
        : "The backend checks an audience: give it with --audience (the backend's AUTH_AUDIENCE).";
    case 'unsupported_alg':
      return 'The backend refuses HS256: is it set up for another key profile (jwks)? This run checks the hs256 profile.';
    case 'missing_token':
      return 'The Authorization header did not reach the backend: a proxy in front of it may drop it.';
    case 'token_expired':
    case 'token_not_yet_valid':
      return "The backend's clock and this machine's differ by more than the leeway (30 s): check both clocks.";
    default:
      return `Check --me-path, --issuer, --audience and the secret (${byteLength(options.secret)} bytes).`;
  }
}

export function diagnose(results: Result[], options: ConformanceOptions): Finding[] {
  const findings: Finding[] = [];
  const sent = results.filter((result) => result.kind !== 'cors' && answered(result)) as (Result & { actual: Answer })[];
  const all = (test: (status: number) => boolean) => sent.length >= 3 && sent.every((result) => test(result.actual.status));
  const first = sent[0]?.actual;
  if (first && all((status) => status >= 300 && status < 400)) {
    findings.push({
      problem: `Every answer is a redirect (${first.status}): the requests never reach the API's checks.`,
      evidence: evidence(first),
      hint: 'Give --base-url as the URL the redirect points to (https, a trailing slash, another host), and check --me-path.',
    });
  } else if (first && all((status) => status === 404)) {
    findings.push({
      problem: `Every answer is 404: there is no route at ${options.mePath} under ${options.baseUrl.href}.`,
      evidence: evidence(first),
      hint: 'Give the protected routes with --me-path (and --user-path, --role-path), and check the path prefix in --base-url.',
    });
  } else if (first && all((status) => status >= 500)) {
    findings.push({ problem: `Every answer is a server error (${first.status}).`, evidence: evidence(first), hint: 'The backend fails on every request: see its log.' });
  }
  const valid = results.find((result) => result.name === validScenarioName(options));
  if (!findings.length && valid && answered(valid) && valid.actual.status !== 200) {
    findings.push({
      problem: `The valid token is refused: GET ${valid.request?.path ?? options.mePath} answered ${valid.actual.status}, not 200, so most other answers mean little.`,
      evidence: evidence(valid.actual),
      hint: validRefused(valid.actual, options),
    });
  }
  return findings;
}

/** Hints for single mismatches whose cause is known. */
export function mismatchHints(results: Result[]): string[] {
  const hints: string[] = [];
  const duplicate = results.find((result) => result.name === 'two-authorization-headers');
  if (duplicate?.state === 'mismatched' && duplicate.actual && duplicate.actual.status === 401 && (duplicate.actual as Answer).code === 'malformed_token') {
    hints.push(
      'Two Authorization headers came back as 401 malformed_token: a proxy in front of the backend joins them into one comma-separated line. That is the proxy\'s doing (contract v1.1): run against the backend directly to check it.',
    );
  }
  return hints;
}
