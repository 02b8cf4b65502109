/**
 * The text report (stdout), every line at most 100 columns: the diagnosis first, then the mismatches grouped
 * by severity (security, availability, wrong status, format only), the cases without an answer, the cases
 * not applicable, notes, and a one-line summary.
 */
import { CONTRACT_VERSION } from '../../../contract/data/contract.ts';
import { SEVERITIES, SEVERITY_TITLE, describeAnswer } from '../compare.ts';
import type { Finding } from '../diagnosis.ts';
import { type Run, summaryOf } from '../result.ts';
import { profileLabel } from '../key-set/profile.ts';

export const WIDTH = 100;

export interface Painter {
  (code: string, text: string): string;
}

export const plain: Painter = (_code, text) => text;
export const ansi: Painter = (code, text) => `\u001b[${code}m${text}\u001b[0m`;

/** Wraps text to WIDTH columns; continuation lines get `indent` spaces. */
export function wrap(text: string, indent: number, first = indent): string[] {
  const lines: string[] = [];
  let line = ' '.repeat(first);
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const pieces: string[] = [];
    // A word longer than a line (a URL) is cut.
    for (let rest = word; rest.length; rest = rest.slice(WIDTH - indent)) pieces.push(rest.slice(0, WIDTH - indent));
    for (const piece of pieces) {
      if (!empty && line.length + 1 + piece.length > WIDTH) {
        lines.push(line);
        line = ' '.repeat(indent);
        empty = true;
      }
      line += empty ? piece : ` ${piece}`;
      empty = false;
    }
  }
  if (!empty) lines.push(line);
  return lines;
}

function cell(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

export function diagnosisBlock(findings: Finding[], paint: Painter): string[] {
  if (!findings.length) return [];
  const lines = [paint('1;31', 'Diagnosis')];
  for (const finding of findings) {
    lines.push(...wrap(`! ${finding.problem}`, 4, 2));
    for (const item of finding.evidence) lines.push(...wrap(item, 6, 4));
    lines.push(...wrap(`→ ${finding.hint}`, 6, 4));
  }
  return [...lines, ''];
}

function mismatchBlocks(run: Run, paint: Painter): string[] {
  const rows = run.results.filter((result) => result.state === 'mismatched');
  if (!rows.length) return [];
  const nameWidth = Math.min(30, Math.max(8, ...rows.map((row) => row.name.length)));
  const expectedWidth = Math.min(WIDTH - 6 - nameWidth - 2, Math.max(8, ...rows.map((row) => describeAnswer(row.expected).length)));
  const gotColumn = 4 + nameWidth + 2 + expectedWidth + 2;
  const lines: string[] = [];
  for (const severity of SEVERITIES) {
    const group = rows.filter((row) => row.severity === severity);
    if (!group.length) continue;
    lines.push(paint('1', `${SEVERITY_TITLE[severity]}: ${group.length}`));
    lines.push(`    ${cell('case', nameWidth)}  ${cell('expected', expectedWidth)}  got`);
    for (const row of group) {
      const got = describeAnswer(row.actual);
      const start = `    ${paint('31', cell(row.name, nameWidth))}  ${cell(describeAnswer(row.expected), expectedWidth)}  `;
      // The answer goes beside the expectation when it fits, else on the next line under it.
      if (gotColumn + got.length <= WIDTH) lines.push(`${start}${got}`);
      else lines.push(start.trimEnd(), `${' '.repeat(4 + nameWidth + 2)}${cell(got, WIDTH - 6 - nameWidth).trimEnd()}`);
      const where = row.request ? ` (${row.request.method} ${row.request.path})` : '';
      for (const line of wrap(`${row.title}${where}: ${row.differences.join('; ')}`, 6)) lines.push(paint('2', line));
    }
    lines.push('');
  }
  return lines;
}

function noAnswerBlock(run: Run, paint: Painter): string[] {
  const rows = run.results.filter((result) => result.state === 'no-answer');
  if (!rows.length) return [];
  const lines = [paint('1', `No answer (cannot judge): ${rows.length}`)];
  for (const row of rows) lines.push(...wrap(`${row.name}: ${row.differences.join('; ')}`, 6, 4));
  return [...lines, ''];
}

function notApplicableBlock(run: Run, paint: Painter): string[] {
  const byReason = new Map<string, string[]>();
  for (const result of run.results) {
    if (result.state !== 'not-applicable') continue;
    byReason.set(result.reason!, [...(byReason.get(result.reason!) ?? []), result.name]);
  }
  if (!byReason.size) return [];
  const lines = [paint('1', 'Not applicable')];
  for (const [reason, names] of byReason) lines.push(...wrap(`${String(names.length).padStart(3)}  ${reason}: ${names.join(', ')}`, 7, 2));
  return [...lines, ''];
}

export function summaryLine(run: Run): string {
  const summary = summaryOf(run);
  const severities = SEVERITIES.filter((severity) => summary.bySeverity[severity]).map((severity) => `${summary.bySeverity[severity]} ${severity}`);
  const parts = [`${summary.passed} passed`, `${summary.mismatched} mismatched`];
  if (summary.noAnswer) parts.push(`${summary.noAnswer} without answer`);
  parts.push(`${summary.notApplicable} not applicable`);
  if (summary.notRun) parts.push(`${summary.notRun} not run`);
  return `${parts.join(', ')} (${run.seconds.toFixed(1)} s)${severities.length ? `; mismatches: ${severities.join(', ')}` : ''}`;
}

export function textReport(run: Run, findings: Finding[], notes: string[], paint: Painter): string {
  const { options } = run;
  const routes = [options.mePath, options.userPath, options.rolePath && `${options.rolePath} (role ${options.role})`].filter(Boolean).join(', ');
  const out: string[] = [
    ...wrap(`Conformance of ${options.baseUrl.href} to the bearer contract ${CONTRACT_VERSION} (profile ${profileLabel(options)})`, 2, 0),
    ...wrap(`issuer ${options.issuer ?? '(not checked)'}, audience ${options.audience ?? '(not checked)'}, routes ${routes}, CORS ${options.sameOrigin ? 'skipped (--same-origin)' : `from ${options.origin}`}`, 4, 2),
    '',
  ];
  if (run.fatal) out.push(...wrap(paint('1;31', `Cannot judge: ${run.fatal}`), 2, 0), '');
  if (run.abortReason) out.push(...wrap(`Stopped early: ${run.abortReason}. The report is partial.`, 2, 0), '');
  out.push(...diagnosisBlock(findings, paint), ...mismatchBlocks(run, paint), ...noAnswerBlock(run, paint), ...notApplicableBlock(run, paint));
  if (notes.length) out.push(paint('1', 'Notes'), ...notes.flatMap((note) => wrap(`• ${note}`, 4, 2)), '');
  const summary = summaryOf(run);
  const line = summaryLine(run);
  const [color, text] = summary.mismatched ? ['31', `✗ ${line}`] : run.fatal || run.abortReason || summary.noAnswer ? ['33', `? ${line}: cannot judge`] : ['32', `✓ ${line}`];
  out.push(...wrap(text, 2, 0).map((part) => paint(color, part)));
  return `${out.join('\n')}\n`;
}
