/**
 * Writes a state into the page: the controls (unless the reader is typing in them), the texts that depend
 * on the state alone, and, after an evaluation, the answer and its details. Texts come from view-model.ts
 * and report.ts; this module only puts them in place.
 */
import type { ExtractedAuthorization } from '../contract/verifier/authorization.ts';
import { curlCommand } from '../contract/verifier/response.ts';
import type { Scenario } from '../contract/scenarios/index.ts';
import type { Evaluation } from '../contract/verifier/verify.ts';
import { FORM_CLAIMS, TIME_CLAIMS, claimFields, parseClaims } from './builder.ts';
import { h, patch, setText, show } from './dom.ts';
import { type TokenView, renderDecoded, renderSegments, tokenView } from './render-token.ts';
import { utcInput } from './time-claims.ts';
import { renderResponse, renderTrace, renderVerdict } from './render-verdict.ts';
import type { ComparisonLine } from './report.ts';
import { type State, clockNow, isKeyPairAlg, requestUrl } from './state.ts';
import {
  CURL_SHOWN,
  type HintView,
  type VerdictView,
  claimsJsonStatus,
  clip,
  clockStatus,
  readAsText,
  secretFacts,
  secretWarning,
  signingStatus,
  timeClaimText,
} from './view-model.ts';

export type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/** What the renderers need from the element: its parts by name, and a way to write a control's value. */
export interface RenderContext {
  ref<T extends Element = HTMLElement>(name: string): T | null;
  query(selector: string): Element | null;
  /** Writes a control's value, unless the reader is typing in it (or a whole new state is applied). */
  sync(ref: string | Control | null, value: string): void;
  /** A whole new state is being applied. */
  force: boolean;
}

export function renderClock(context: RenderContext, state: State, now: number): void {
  context.sync('clock-date', utcInput(now));
  context.sync('clock-seconds', String(Number(now.toFixed(3))));
  // A clock field the reader is not typing in now shows the clock's moment: valid again.
  for (const name of ['clock-date', 'clock-seconds']) {
    const field = context.ref(name);
    if (field && field !== document.activeElement) field.removeAttribute('aria-invalid');
  }
  setText(context.ref('clock-status'), clockStatus(state, now));
}

/** The controls and every text that depends on the state only. */
/**
 * Texts from modules the page loads when they are first needed (null until then): the builder's key pair
 * (key-pairs.ts), the key set's status (key-set-view.ts) and the share note (share-link.ts).
 */
export interface LazyTexts {
  keyPair: { status: string; publicKeySet: string } | null;
  keySetStatus: string | null;
  shareNote: string | null;
}

export function renderControls(context: RenderContext, state: State, notice: string, scenario: Scenario | undefined, lazy: LazyTexts): void {
  const { ref, sync } = context;
  const now = clockNow(state);
  const controls: [string, string][] = [
    ['input', state.input],
    ['profile', state.profile],
    ['secret', state.secret],
    ['key-set', state.keySet],
    ['algorithm', state.algorithm],
    ['answer', state.answer],
    ['leeway', String(state.leeway)],
    ['issuer', state.issuer],
    ['audience', state.audience],
    ['path-user', state.pathUserId],
    ['role', state.requiredRole],
    ['url', requestUrl(state)],
    ['signing', state.builder.signingSecret],
    ['alg', state.builder.alg],
    ['claims-json', state.builder.claims],
  ];
  for (const [name, value] of controls) sync(name, value);
  if (context.force) for (const name of ['leeway', 'clock-seconds']) ref(name)?.removeAttribute('aria-invalid');

  const live = ref<HTMLInputElement>('clock-live');
  const fixed = ref<HTMLInputElement>('clock-fixed');
  if (live) live.checked = state.clock.live;
  if (fixed) fixed.checked = !state.clock.live;
  renderClock(context, state, now);

  // The profile decides which keys the backend holds: the secret (hs256, both), the key set (jwks, both).
  show(ref('secret-block'), state.profile !== 'jwks');
  show(ref('key-set-block'), state.profile !== 'hs256');
  show(ref('algorithm-block'), state.profile !== 'hs256');
  const unavailable = ref<HTMLInputElement>('key-set-unavailable');
  if (unavailable) unavailable.checked = state.keySetUnavailable;
  const keySet = ref<HTMLTextAreaElement>('key-set');
  if (keySet) keySet.disabled = state.keySetUnavailable;
  if (lazy.keySetStatus !== null) setText(ref('key-set-status'), lazy.keySetStatus);

  const keyPair = isKeyPairAlg(state.builder.alg);
  show(ref('signing-block'), !keyPair);
  show(ref('key-pair-block'), keyPair);
  if (keyPair && lazy.keyPair) {
    setText(ref('key-pair-status'), lazy.keyPair.status);
    setText(ref('public-key-set'), lazy.keyPair.publicKeySet);
    setText(ref('generate-key-pair'), `Generate a new ${state.builder.alg} test key pair`);
  }

  const warning = secretWarning(state);
  setText(ref('secret-status'), state.secret === '' ? 'Empty.' : secretFacts(state.secret));
  setText(ref('secret-warning'), warning);
  show(ref('secret-warning'), warning !== '');

  setText(ref('signing-status'), signingStatus(state));
  const fields = claimFields(state.builder.claims);
  const form = ref<HTMLFieldSetElement>('claims-form');
  if (form) form.disabled = fields === null;
  setText(ref('claims-json-status'), claimsJsonStatus(fields !== null));
  const claims = parseClaims(state.builder.claims);
  for (const name of FORM_CLAIMS) sync(context.query(`[data-claim="${name}"]`) as HTMLInputElement | null, fields?.[name] ?? '');
  for (const name of TIME_CLAIMS) setText(context.query(`[data-claim-when="${name}"]`), timeClaimText(name, claims?.[name], now));

  if (state.caseName) sync('all-cases', state.caseName);
  const box = ref('case');
  patch(box, `${scenario?.name ?? ''}|${notice}`, () => [
    notice ? h('p', { class: 'pg-warning' }, `⚠ ${notice}`) : null,
    scenario
      ? h(
          'p',
          {},
          h('strong', {}, `Case: ${scenario.title}`),
          ` (${scenario.name}). ${scenario.why} Expected: ${scenario.expected.status} ${scenario.expected.code ?? ''}`.trimEnd() + '.',
          scenario.notOverHttp ? ` Not replayable against a running backend: ${scenario.notOverHttp}.` : '',
        )
      : null,
  ]);
  show(box, Boolean(scenario) || notice !== '');
  if (lazy.shareNote !== null) setText(ref('share-note'), lazy.shareNote);
}

/** The answer: written first, in a task of its own. */
export function renderAnswer(context: RenderContext, view: VerdictView, hints: readonly HintView[], base: string): void {
  const { ref } = context;
  renderVerdict(
    {
      box: ref('verdict'),
      bar: ref('bar'),
      icon: ref('icon'),
      outcome: ref('outcome'),
      status: ref('status'),
      statusText: ref('status-text'),
      code: ref('code'),
      codeLink: ref('code-link'),
      check: ref('check'),
      checkLink: ref('check-link'),
      key: ref('key'),
      reason: ref('reason'),
      actionLabel: ref('action-label'),
      actionText: ref('action-text'),
      hints: ref('hints'),
    },
    view,
    hints,
    base,
  );
}

export interface Details {
  state: State;
  now: number;
  extracted: ExtractedAuthorization;
  evaluation: Evaluation;
  /** The comparison with the reader's own response (report.ts, loaded on demand); null while it loads. */
  comparison: ComparisonLine[] | null;
}

/**
 * Everything after the answer, in steps: what was read and the token's segments; the decoded header, payload
 * and times; the response, the checks, the comparison and curl. The element runs each step in a task of its
 * own, so that no single task holds the page for long (the first run of each step also compiles its code).
 */
export function detailSteps(context: RenderContext, { state, now, extracted, evaluation, comparison }: Details): (() => void)[] {
  const { ref } = context;
  let token: TokenView | undefined;
  const view = () => (token ??= tokenView(evaluation, extracted.authorization));
  return [
    () => {
      setText(ref('read-as'), readAsText(extracted));
      renderSegments(ref('token'), ref('segments'), view(), evaluation);
    },
    () =>
      renderDecoded(
        { header: ref('header'), headerProblem: ref('header-problem'), payload: ref('payload'), payloadProblem: ref('payload-problem'), times: ref('times') },
        view(),
        now,
      ),
    () => {
      renderResponse(ref('response'), evaluation.verdict);
      renderTrace(ref('trace'), evaluation.verdict);
    },
    () => {
      const lines: ComparisonLine[] = comparison ?? [['p', state.answer.trim() === '' ? 'Nothing pasted yet.' : 'Comparing…', { class: 'pg-help' }]];
      patch(ref('comparison'), JSON.stringify(lines), () => lines.map(([tag, text, attributes]) => h(tag, attributes ?? {}, text)));
      setText(ref('curl'), clip(curlCommand(extracted.authorization, requestUrl(state)), CURL_SHOWN));
      context.sync('url', requestUrl(state));
    },
  ];
}
