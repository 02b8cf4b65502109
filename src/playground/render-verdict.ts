/** Renders the answer: status, code and failing check, what the frontend should do, the response, the checklist. */
import { type FrontendAction, STATUS_TEXT } from '../contract/data/contract.ts';
import { formatResponse, frontendAction } from '../contract/verifier/response.ts';
import { type Evaluation, type TraceStep, failedCheck } from '../contract/verifier/verify.ts';
import { h, patch, setText } from './dom.ts';

export const NO_VALUE = '—';

/** The short name of each frontend action. */
export const ACTION_LABEL: Record<FrontendAction, string> = {
  none: 'Nothing to do',
  report: 'Report it, do not retry',
  'fix-client': 'Fix the client, do not retry',
  'get-token': 'Get a token, retry once',
  'refresh-once': 'Refresh once; if refused again, report',
  'do-not-retry': 'Do not retry',
};

const STATE_ICON: Record<TraceStep['state'], string> = { passed: '✓', failed: '✗', skipped: '–', 'not-reached': '·' };
const STATE_WORD: Record<TraceStep['state'], string> = { passed: 'Passed', failed: 'Failed', skipped: 'Skipped', 'not-reached': 'Not reached' };

/** What identifies a verdict for announcing: it changes only when the answer does. */
export function verdictKey(evaluation: Evaluation): string {
  const { status, code } = evaluation.verdict;
  return `${status}|${code ?? ''}|${failedCheck(evaluation.verdict)?.check ?? ''}`;
}

/** The sentence a screen reader hears when the answer changes. */
export function verdictSentence(evaluation: Evaluation): string {
  const { status, code } = evaluation.verdict;
  const failed = failedCheck(evaluation.verdict);
  return failed
    ? `Verdict: ${status} ${STATUS_TEXT[status]}, ${code}. Failing check: ${failed.title}.`
    : `Verdict: ${status} ${STATUS_TEXT[status]}. Every check passes.`;
}

export interface VerdictRefs {
  box: HTMLElement | null;
  icon: Element | null;
  outcome: Element | null;
  status: Element | null;
  statusText: Element | null;
  code: Element | null;
  check: Element | null;
  reason: Element | null;
  actionLabel: Element | null;
  actionText: Element | null;
  hints: HTMLElement | null;
  response: Element | null;
  trace: Element | null;
}

export function renderVerdict(refs: VerdictRefs, evaluation: Evaluation, extraHints: string[]): void {
  const { verdict } = evaluation;
  const failed = failedCheck(verdict);
  refs.box?.setAttribute('data-outcome', verdict.status === 200 ? 'ok' : 'fail');
  setText(refs.icon, verdict.status === 200 ? '✓' : '✗');
  setText(refs.outcome, verdict.status === 200 ? 'Accepted:' : 'Rejected:');
  setText(refs.status, String(verdict.status));
  setText(refs.statusText, STATUS_TEXT[verdict.status]);
  setText(refs.code, verdict.code ?? NO_VALUE);
  setText(refs.check, failed ? failed.title : NO_VALUE);
  setText(refs.reason, failed ? failed.message : 'Every check passes: the route runs and answers with its own JSON.');

  const action = frontendAction(verdict);
  setText(refs.actionLabel, ACTION_LABEL[action.action]);
  setText(refs.actionText, action.text);

  const hints = [...evaluation.hints, ...evaluation.requestNotes, ...extraHints];
  patch(refs.hints, hints.join('\n'), () => hints.map((hint) => h('li', {}, hint)));
  if (refs.hints?.parentElement) refs.hints.parentElement.hidden = hints.length === 0;

  setText(refs.response, formatResponse(verdict));

  patch(refs.trace, JSON.stringify(verdict.trace), () =>
    verdict.trace.map((step) =>
      h(
        'li',
        { 'data-state': step.state },
        h('span', { class: 'pg-icon', 'aria-hidden': 'true' }, STATE_ICON[step.state]),
        ' ',
        h('span', { class: 'pg-state' }, `${STATE_WORD[step.state]}:`),
        ' ',
        h('strong', {}, step.title),
        step.state === 'not-reached' ? null : h('span', { class: 'pg-trace-message' }, ` ${step.message}`),
      ),
    ),
  );
}
