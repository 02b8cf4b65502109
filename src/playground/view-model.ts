/**
 * The playground's texts and views as plain data: pure functions of the state and the engine's
 * evaluation, no DOM. element.ts writes what these return into the page; the unit tests read them.
 */
import { MIN_SECRET_BYTES, STATUS_TEXT } from '../contract/data/contract.ts';
import type { SegmentView } from '../contract/codec/decode.ts';
import { OTHER_TEST_SECRET, TEST_SECRET } from '../contract/data/fixtures.ts';
import { type ExtractedAuthorization, authorizationValues } from '../contract/verifier/authorization.ts';
import type { Finding } from '../contract/verifier/diagnose.ts';
import { keyUsed, signatureCheck, signatureStep } from '../contract/verifier/signature-check.ts';
import { frontendAction } from '../contract/verifier/response.ts';
import { formatUtc } from '../contract/verifier/time.ts';
import { type Evaluation, failedCheck } from '../contract/verifier/verify.ts';
import { type State, byteLength, isKeyPairAlg, waitsForSecret } from './state.ts';
import { localDate, relativePhrase } from './time-claims.ts';

export const NO_VALUE = '—';

/** The short name of each frontend action (an action the engine adds later shows its own text). */
export const ACTION_LABEL: Record<string, string> = {
  none: 'Nothing to do',
  report: 'Report it, do not retry',
  'fix-client': 'Fix the client, do not retry',
  'get-token': 'Get a token, retry once',
  'refresh-once': 'Refresh once; if refused again, report',
  'retry-later': 'Retry later, with backoff',
  'do-not-retry': 'Do not retry',
};

const READ_AS: Record<ExtractedAuthorization['source'], string> = {
  empty: 'Nothing pasted: the request carries no Authorization header.',
  token: 'Read as a bare token, sent as Authorization: Bearer <token>.',
  'header-value': 'Read as the value of one Authorization header.',
  'header-lines': 'Read as Authorization header line(s) of a request.',
  request: 'Read as a request (header lines) with no Authorization header.',
  curl: 'Read as a curl command.',
  json: 'Read as the token route\'s JSON: its token is sent as Authorization: Bearer <token>.',
};

/** The line under the request field: what the pasted text was read as. */
export function readAsText(extracted: ExtractedAuthorization): string {
  const count = authorizationValues(extracted.authorization).length;
  const counted = extracted.source === 'curl' || extracted.source === 'header-lines';
  const cookie = extracted.cookie ? ' It also sends a Cookie header, which the API does not read.' : '';
  return `${READ_AS[extracted.source]}${counted ? ` ${count} Authorization header${count === 1 ? '' : 's'}.` : ''}${cookie}`;
}

export function secretFacts(secret: string): string {
  const facts = [`${byteLength(secret)} bytes`];
  if (secret === TEST_SECRET) facts.push('the built-in test secret');
  else if (secret === OTHER_TEST_SECRET) facts.push('the second built-in test secret');
  if (/\r?\n$/.test(secret)) facts.push('ends with a line break, which is part of the key');
  else if (secret !== secret.trim()) facts.push('has spaces around it, which are part of the key');
  return facts.join(' · ');
}

/** The warning under the backend secret, or '' for none. */
export function secretWarning(state: Pick<State, 'secret' | 'secretOmitted' | 'sender'>): string {
  if (waitsForSecret(state)) {
    const seen = state.sender ? ` The sender saw ${state.sender.status} ${state.sender.code ?? 'OK'}.` : '';
    return `⚠ The link you opened did not carry the backend secret (links only carry the built-in test secrets). Type the backend's secret to see its verdict.${seen}`;
  }
  if (state.secret === '') return '⚠ No secret: the backend is not configured, so it must answer 500 (and should refuse to start).';
  const bytes = byteLength(state.secret);
  if (bytes < MIN_SECRET_BYTES) {
    return `⚠ Only ${bytes} bytes: use at least ${MIN_SECRET_BYTES} random bytes in production (openssl rand -base64 32). The verdict still uses it.`;
  }
  return '';
}

export function signingStatus(state: Pick<State, 'secret' | 'builder'>): string {
  if (isKeyPairAlg(state.builder.alg)) return `${state.builder.alg} signs with a key pair, not a secret: see the signing key below.`;
  const signing = state.builder.signingSecret;
  if (signing === '') return 'Empty: type a signing secret (or choose alg none).';
  return `${secretFacts(signing)} · ${signing === state.secret ? 'same as the backend secret' : 'differs from the backend secret: its tokens fail the signature check'}`;
}

export const claimsJsonStatus = (isObject: boolean) =>
  isObject
    ? 'Signed exactly as typed (whitespace outside strings removed).'
    : '✗ Not a JSON object: the form is off until it is. The token is signed from this text as it is (a malformed payload on purpose is fine).';

/** The readable line under a time claim of the builder. */
export function timeClaimText(name: 'iat' | 'nbf' | 'exp', value: unknown, now: number): string {
  if (typeof value === 'number' && Number.isFinite(value)) return `${formatUtc(value)}, ${relativePhrase(name, value, now)}`;
  return value === undefined ? 'Not set.' : 'Not a number.';
}

export function clockStatus(state: Pick<State, 'clock'>, now: number): string {
  const mode = state.clock.live
    ? 'Live'
    : state.clock.byCase
      ? 'Fixed at the moment the case was built (choose Live for the real time)'
      : 'Fixed';
  return `${mode}: ${localDate(now) ?? 'not a representable date'} · ${formatUtc(Math.floor(now))} · ${Math.floor(now)}`;
}

/** The answer, as the page shows it. */
export interface VerdictView {
  /** ok, fail, or pending (a link without its secret: no verdict of our own yet). */
  tone: 'ok' | 'fail' | 'pending';
  icon: string;
  outcome: string;
  status: string;
  statusText: string;
  code: string;
  /** The failing check's title, and its id (for the docs link). */
  check: string;
  /** Which key the signature was checked with, or why none. */
  keyUsed: string;
  checkId: string | null;
  reason: string;
  actionLabel: string;
  actionText: string;
  /** The one line the sticky bar on narrow screens shows. */
  line: string;
  /** What a screen reader hears when the answer changes. */
  sentence: string;
  /** Identifies the answer: the announcement is made only when it changes. */
  key: string;
}

/** The verdict view of an evaluation; a link without its secret shows what the sender saw instead. */
export function verdictView(evaluation: Evaluation, state: Pick<State, 'secret' | 'secretOmitted' | 'sender' | 'profile'>): VerdictView {
  const { verdict } = evaluation;
  if (waitsForSecret(state) && state.profile !== 'jwks') {
    const seen = state.sender ? `${state.sender.status} ${state.sender.code ?? 'OK'}` : null;
    const outcome = seen ? `Secret needed to reproduce: the sender saw ${seen}` : 'Secret needed to reproduce';
    return {
      tone: 'pending',
      icon: '?',
      outcome: `${outcome}.`,
      status: NO_VALUE,
      statusText: '',
      code: NO_VALUE,
      check: NO_VALUE,
      keyUsed: NO_VALUE,
      checkId: null,
      reason:
        'This link does not carry the backend secret (only the built-in test secrets travel in links, by name). Type the backend\'s BETTER_AUTH_SECRET in Backend secret to see the verdict.',
      actionLabel: 'Type the secret first',
      actionText: 'Without the secret the page cannot know the answer; it does not guess one.',
      line: seen ? `Secret needed · the sender saw ${seen}` : 'Secret needed to reproduce',
      sentence: `${outcome}. Type the backend secret to see the verdict.`,
      key: `pending|${seen ?? ''}`,
    };
  }
  const failed = failedCheck(verdict);
  const action = frontendAction(verdict);
  const statusText = STATUS_TEXT[verdict.status] ?? '';
  return {
    tone: verdict.status === 200 ? 'ok' : 'fail',
    icon: verdict.status === 200 ? '✓' : '✗',
    outcome: verdict.status === 200 ? 'Accepted:' : 'Rejected:',
    status: String(verdict.status),
    statusText,
    code: verdict.code ?? NO_VALUE,
    check: failed ? failed.title : NO_VALUE,
    keyUsed: keyFact(evaluation),
    checkId: failed?.check ?? null,
    reason: failed ? failed.message : 'Every check passes: the route runs and answers with its own JSON.',
    actionLabel: ACTION_LABEL[action.action] ?? action.action,
    actionText: action.text,
    line: `${verdict.status} ${verdict.code ?? statusText}${failed ? ` · ${failed.title}` : ''}`,
    sentence: failed
      ? `Verdict: ${verdict.status} ${statusText}, ${verdict.code}. Failing check: ${failed.title}.`
      : `Verdict: ${verdict.status} ${statusText}. Every check passes.`,
    key: `${verdict.status}|${verdict.code ?? ''}|${failed?.check ?? ''}`,
  };
}

/** Which key the backend checked the signature with: the key set's key, the secret, or why none. */
export function keyFact(evaluation: Evaluation): string {
  const used = keyUsed(evaluation);
  if (used) return `The ${used}`;
  const { trace } = evaluation.verdict;
  const key = trace.find((step) => step.check === 'key');
  if (key?.state === 'failed') return evaluation.verdict.code === 'keys_unavailable' ? 'None: the key set cannot be had' : 'None fits: see the reason';
  const signature = signatureStep(evaluation);
  if (signature && signature.state !== 'not-reached') return 'BETTER_AUTH_SECRET (HMAC-SHA256)';
  return 'Not reached: an earlier check failed';
}

/** One hint line: a text, maybe a one-click fix and a docs link. */
export interface HintView {
  text: string;
  fix?: Finding['fix'];
  docs?: string;
}

/** Every hint, the engine's first, then the findings of the diagnosis and the playground's own. */
export function hintViews(evaluation: Evaluation, findings: readonly Finding[], extra: readonly string[]): HintView[] {
  const hints: HintView[] = [...evaluation.hints, ...evaluation.requestNotes].map((text) => ({ text }));
  for (const finding of findings) hints.push({ text: finding.text, fix: finding.fix, docs: finding.docs });
  for (const text of extra) hints.push({ text });
  return hints;
}

// ---- the token, segment by segment ----

/** Segments longer than this show their start and their length only: a huge paste stays a small page. */
export const SEGMENT_SHOWN = 2_000;
/** The curl command shows at most this many characters. */
export const CURL_SHOWN = 4_000;

/**
 * A count with its thousands grouped, as English writes it (1,048,576). Not toLocaleString: its first call in
 * a page sets up the browser's locale data, 50 to 100 ms of main-thread time before the first answer.
 */
export function groupDigits(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function clip(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}… (${groupDigits(text.length - limit)} more characters not shown)`;
}

const SEGMENT_TITLE = { header: 'Header', payload: 'Payload', signature: 'Signature' } as const;
export const segmentTitle = (segment: SegmentView) => (segment.name ? SEGMENT_TITLE[segment.name] : `Extra segment ${segment.index + 1}`);

/** A segment line's mark: ✗ for a broken segment or a signature that does not match, · for one never checked. */
export function segmentMark(segment: SegmentView, evaluation: Evaluation | null, segmentCount: number, jsonHeader: boolean): { ok: 'true' | 'false' | 'unchecked'; icon: string } {
  if (segment.problem || segment.index > 2 || (segmentCount !== 3 && !jsonHeader)) return { ok: 'false', icon: '✗' };
  if (segment.name !== 'signature') return { ok: 'true', icon: '✓' };
  const state = evaluation && signatureStep(evaluation)?.state;
  return state === 'passed' ? { ok: 'true', icon: '✓' } : state === 'failed' ? { ok: 'false', icon: '✗' } : { ok: 'unchecked', icon: '·' };
}

/**
 * What a segment holds, in one line. The signature line says what was actually checked. A string that is
 * not a JWT at all (wrong number of segments, no JSON header) is not read segment by segment: base64 details
 * such as "stray bits" would only mislead.
 */
export function segmentStatus(segment: SegmentView, evaluation: Evaluation | null, segmentCount: number, jsonHeader: boolean): string {
  const where = `segment ${segment.index + 1}, ${groupDigits(segment.text.length)} character${segment.text.length === 1 ? '' : 's'}`;
  if (segment.index > 2) return `${where}: one segment too many.`;
  if (segmentCount !== 3 && !jsonHeader) return `${where}: not read, the string is not a JWT (${segmentCount} segment${segmentCount === 1 ? '' : 's'}, no JSON header).`;
  if (segment.problem) {
    const at = segment.problemAt !== undefined ? ` (character ${segment.problemAt + 1} of the token)` : '';
    return `${where}: ${segment.problem}${at}.`;
  }
  if (segment.name === 'signature') {
    const bytes = segment.bytes?.length ?? 0;
    const size = `${bytes} bytes${bytes === 32 ? ', the length of an HMAC-SHA256' : bytes === 0 ? ' (empty)' : ''}`;
    return `${where}: ${size}. ${evaluation ? signatureCheck(evaluation) : 'Not checked.'}`;
  }
  return `${where}: decoded.`;
}
