/** Writes the answer into the page: the verdict view, the hints with their fixes and docs links, the response, the checklist. */
import { formatResponse } from '../contract/verifier/response.ts';
import type { TraceStep, Verdict } from '../contract/verifier/verify.ts';
import { h, patch, setText, show } from './dom.ts';
import type { HintView, VerdictView } from './view-model.ts';

export { ACTION_LABEL, NO_VALUE } from './view-model.ts';

const STATE_ICON: Record<TraceStep['state'], string> = { passed: '✓', failed: '✗', skipped: '–', 'not-reached': '·' };
const STATE_WORD: Record<TraceStep['state'], string> = { passed: 'Passed', failed: 'Failed', skipped: 'Skipped', 'not-reached': 'Not reached' };

export interface VerdictRefs {
  box: HTMLElement | null;
  bar: Element | null;
  icon: Element | null;
  outcome: Element | null;
  status: Element | null;
  statusText: Element | null;
  code: Element | null;
  codeLink: Element | null;
  check: Element | null;
  checkLink: Element | null;
  key: Element | null;
  reason: Element | null;
  actionLabel: Element | null;
  actionText: Element | null;
  hints: HTMLElement | null;
}

/** The docs entry of a code and of a check (the errors page and the backend's list of checks). */
export function docsLinks(base: string, view: Pick<VerdictView, 'code' | 'checkId'>): { code: string; check: string } {
  return {
    code: `${base}reference/errors/#code-${view.code === '—' ? 'ok' : view.code}`,
    check: view.checkId ? `${base}reference/backend/#check-${view.checkId}` : `${base}reference/backend/#the-checks-in-order`,
  };
}

export function renderVerdict(refs: VerdictRefs, view: VerdictView, hints: readonly HintView[], base: string): void {
  refs.box?.setAttribute('data-outcome', view.tone);
  refs.bar?.setAttribute('data-outcome', view.tone);
  setText(refs.bar, `${view.icon} ${view.line}`);
  setText(refs.icon, view.icon);
  setText(refs.outcome, view.outcome);
  setText(refs.status, view.status);
  // A link waiting for its secret has no status to show: its outcome line says what the sender saw.
  show(refs.status, view.tone !== 'pending');
  setText(refs.statusText, view.statusText);
  setText(refs.code, view.code);
  setText(refs.check, view.check);
  setText(refs.key, view.keyUsed);
  const links = docsLinks(base, view);
  refs.codeLink?.setAttribute('href', links.code);
  refs.checkLink?.setAttribute('href', links.check);
  refs.codeLink?.setAttribute('aria-label', view.code === '—' ? 'No code: the errors reference' : `${view.code}: its entry in the errors reference`);
  refs.checkLink?.setAttribute('aria-label', view.check === '—' ? 'No failing check: the list of checks' : `${view.check}: the list of checks in the backend reference`);
  setText(refs.reason, view.reason);
  setText(refs.actionLabel, view.actionLabel);
  setText(refs.actionText, view.actionText);

  patch(refs.hints, JSON.stringify(hints), () =>
    hints.map((hint, index) =>
      h(
        'li',
        {},
        hint.text,
        hint.fix ? ' ' : null,
        hint.fix ? h('button', { type: 'button', class: 'pg-button pg-small pg-fix', 'data-fix': String(index) }, hint.fix.label) : null,
        hint.docs ? ' ' : null,
        hint.docs ? h('a', { href: `${base}${hint.docs.replace(/^\//, '')}` }, 'Read more') : null,
      ),
    ),
  );
  if (refs.hints?.parentElement) refs.hints.parentElement.hidden = hints.length === 0;
}

export function renderResponse(element: Element | null, verdict: Verdict): void {
  setText(element, formatResponse(verdict));
}

export function renderTrace(element: Element | null, verdict: Verdict): void {
  patch(element, JSON.stringify(verdict.trace), () =>
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
