/**
 * --format github: workflow annotations (`::error title=...::...`, one per mismatch, `::warning` per missing
 * answer and per diagnosis) on stdout, and a Markdown job summary for $GITHUB_STEP_SUMMARY.
 */
import { CONTRACT_VERSION } from '../../../contract/data/contract.ts';
import { SEVERITIES, SEVERITY_TITLE, describeAnswer } from '../compare.ts';
import type { Finding } from '../diagnosis.ts';
import { type Run, summaryOf } from '../result.ts';
import { summaryLine } from './text.ts';

const data = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const property = (text: string) => data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function annotations(run: Run, findings: Finding[]): string {
  const lines: string[] = [];
  if (run.fatal) lines.push(`::error title=${property('Conformance: cannot judge')}::${data(run.fatal)}`);
  if (run.abortReason) lines.push(`::warning title=${property('Conformance: stopped early')}::${data(`${run.abortReason}; the report is partial`)}`);
  for (const finding of findings) lines.push(`::warning title=${property('Conformance: diagnosis')}::${data(`${finding.problem}\n${finding.evidence.join('\n')}\n${finding.hint}`)}`);
  for (const result of run.results) {
    if (result.state === 'mismatched') {
      const title = `${SEVERITY_TITLE[result.severity ?? 'format']}: ${result.name}`;
      lines.push(`::error title=${property(title)}::${data(`${result.title}: expected ${describeAnswer(result.expected)}, got ${describeAnswer(result.actual)}. ${result.differences.join('; ')}`)}`);
    } else if (result.state === 'no-answer') {
      lines.push(`::warning title=${property(`No answer: ${result.name}`)}::${data(result.differences.join('; '))}`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function jobSummary(run: Run, findings: Finding[]): string {
  const summary = summaryOf(run);
  const mark = summary.mismatched ? '❌' : run.fatal || run.abortReason || summary.noAnswer ? '⚠️' : '✅';
  const out = [`## ${mark} Bearer contract ${CONTRACT_VERSION} conformance`, '', `Backend \`${run.options.baseUrl.href}\`: ${summaryLine(run)}.`, ''];
  if (run.fatal) out.push(`**Cannot judge:** ${run.fatal}`, '');
  if (run.abortReason) out.push(`**Stopped early:** ${run.abortReason}. The report is partial.`, '');
  for (const finding of findings) out.push(`**Diagnosis:** ${finding.problem}`, '', ...finding.evidence.map((item) => `- ${item}`), `- ${finding.hint}`, '');
  for (const severity of SEVERITIES) {
    const rows = run.results.filter((result) => result.state === 'mismatched' && result.severity === severity);
    if (!rows.length) continue;
    out.push(`### ${SEVERITY_TITLE[severity]}: ${rows.length}`, '', '| case | expected | got | differences |', '|---|---|---|---|');
    for (const row of rows) out.push(`| \`${row.name}\` | ${cell(describeAnswer(row.expected))} | ${cell(describeAnswer(row.actual))} | ${cell(row.differences.join('; '))} |`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
