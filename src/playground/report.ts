/**
 * Texts the reader takes away or compares: the diagnosis as Markdown (Copy diagnosis) and the comparison
 * of their backend's response with the contract's. Pure: plain strings and tuples, no DOM.
 */
import type { DecodedToken } from '../contract/codec/decode.ts';
import { compareResponse } from '../contract/verifier/compare-response.ts';
import type { Verdict } from '../contract/verifier/verify.ts';
import { timeClaimRows } from './time-claims.ts';
import type { HintView, VerdictView } from './view-model.ts';

const fence = (text: string) => {
  const ticks = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((match) => match[0].length + 1)));
  return `${ticks}json\n${text}\n${ticks}`;
};

/**
 * The diagnosis as Markdown: verdict, failing check, reason, hints, frontend action, decoded header and
 * claims with readable times. Never the secret, never the signature: only what the token says and what the
 * backend answers.
 */
export function diagnosisMarkdown(view: VerdictView, hints: readonly HintView[], decoded: DecodedToken | undefined, now: number): string {
  const lines = [
    '## Bearer contract diagnosis',
    '',
    view.tone === 'pending' ? `**Verdict:** ${view.outcome}` : `**Verdict:** ${view.status} ${view.statusText}${view.code === '—' ? '' : ` \`${view.code}\``}`,
  ];
  if (view.tone !== 'pending') lines.push(`**Failing check:** ${view.check}`);
  lines.push(`**Reason:** ${view.reason}`, `**Frontend:** ${view.actionLabel}. ${view.actionText}`);
  if (hints.length) lines.push('', '### Hints', '', ...hints.map((hint) => `- ${hint.text}`));
  const header = decoded?.header;
  const payload = decoded?.payload;
  if (header || payload) {
    lines.push('', '### Decoded token (not verified)');
    if (header) lines.push('', 'Header:', '', fence(JSON.stringify(header, null, 2)));
    if (payload) lines.push('', 'Payload:', '', fence(JSON.stringify(payload, null, 2)));
    const rows = timeClaimRows(payload, now);
    if (rows.length) {
      lines.push('', `Times (backend clock ${new Date(Math.floor(now) * 1000).toISOString().replace('.000', '')}):`, '');
      for (const row of rows) lines.push(row.numeric ? `- \`${row.name}\` ${row.raw}: ${row.utc}, ${row.relative}` : `- \`${row.name}\` ${row.raw}: not a number of seconds`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** One line of the comparison: an element name, its text, its attributes. */
export type ComparisonLine = [tag: 'p', text: string, attributes?: Record<string, string>];

/** The comparison of the reader's pasted response with the contract's answer, as lines to show. */
export function comparisonView(answer: string, verdict: Pick<Verdict, 'status' | 'code' | 'wwwAuthenticate'>, pending: boolean): ComparisonLine[] {
  if (answer.trim() === '') return [['p', 'Nothing pasted yet.', { class: 'pg-help' }]];
  if (pending) return [['p', 'Type the backend secret first: without it there is no contract answer to compare with.', { class: 'pg-warning' }]];
  const result = compareResponse(answer, verdict);
  if (result.empty) return [['p', 'No status line, header or body recognised in the pasted text.', { class: 'pg-warning' }]];
  const lines: ComparisonLine[] = [];
  const expected = `${verdict.status}${verdict.code ? ` ${verdict.code}` : ''}`;
  lines.push(
    result.differences.length === 0 && result.matches.length === 0
      ? ['p', `Nothing in the pasted text could be compared with the contract's answer (${expected}): paste the status line, the headers and the body, as curl -i prints them.`, { class: 'pg-warning' }]
      : result.differences.length === 0
      ? ['p', `✓ Matches the contract's answer (${expected}) in every field compared.`, { 'data-ok': 'true', class: 'pg-match' }]
      : ['p', `✗ ${result.differences.length} difference${result.differences.length === 1 ? '' : 's'} from the contract's answer (${expected}):`, { 'data-ok': 'false', class: 'pg-mismatch' }],
  );
  for (const difference of result.differences) {
    lines.push(['p', `• ${difference.field}: expected ${difference.expected}, got ${difference.got}. ${difference.why}`, { 'data-field': difference.field, class: 'pg-difference' }]);
  }
  if (result.matches.length) lines.push(['p', `Same: ${result.matches.join(', ')}.`, { class: 'pg-help' }]);
  for (const note of result.notes) lines.push(['p', note, { class: 'pg-help' }]);
  return lines;
}
