/**
 * <token-playground>: the custom element that brings the server-rendered playground markup to life.
 * It owns the store, runs the verdict engine on every change (and every second on the live clock),
 * and writes the results into the page. It makes no network requests and stores nothing.
 */
import { extractAuthorization } from '../contract/verifier/authorization.ts';
import { MIN_SECRET_BYTES } from '../contract/data/contract.ts';
import { decodeToken } from '../contract/codec/decode.ts';
import { curlCommand } from '../contract/verifier/response.ts';
import { scenarioByName } from '../contract/scenarios/index.ts';
import { OTHER_TEST_SECRET, TEST_SECRET } from '../contract/data/fixtures.ts';
import { formatUtc } from '../contract/verifier/time.ts';
import { evaluate, type Evaluation } from '../contract/verifier/verify.ts';
import { type FormClaim, FORM_CLAIMS, TIME_CLAIMS, builderFromToken, claimFields, issueNow, parseClaims, setClaim, signBuilder } from './builder.ts';
import { copyText } from './clipboard.ts';
import { h, patch, setText, show, syncValue } from './dom.ts';
import { caseState, firstToken, knownSigningSecret } from './presets.ts';
import { renderDecoded, renderSegments, tokenView } from './render-token.ts';
import { renderVerdict, verdictKey, verdictSentence, type VerdictRefs } from './render-verdict.ts';
import { decodeFragment, linkCarriesSecret, shareLink } from './share-link.ts';
import { type Action, type Builder, type ContextField, type SignAlg, type State, byteLength, clockNow, createStore, initialState, requestUrl, verdictRequest } from './state.ts';
import { localDate, relativePhrase, wallClock } from './time-claims.ts';

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

const READ_AS: Record<ReturnType<typeof extractAuthorization>['source'], string> = {
  empty: 'Nothing pasted: the request carries no Authorization header.',
  token: 'Read as a bare token, sent as Authorization: Bearer <token>.',
  'header-value': 'Read as the value of one Authorization header.',
  'header-lines': 'Read as Authorization header line(s) of a request.',
  curl: 'Read as a curl command.',
  json: 'Read as the token route\'s JSON: its token is sent as Authorization: Bearer <token>.',
};

const headerCount = (authorization: ReturnType<typeof extractAuthorization>['authorization']) =>
  authorization === null ? 0 : Array.isArray(authorization) ? authorization.length : 1;

/** A datetime-local value ("2026-01-01T01:00:00") for seconds since the epoch, in the reader's time zone. */
function toLocalInput(seconds: number): string {
  const date = new Date(Math.floor(seconds) * 1000);
  if (Number.isNaN(date.getTime()) || date.getFullYear() < 1 || date.getFullYear() > 9999) return '';
  const { day, time } = wallClock(date);
  return `${day}T${time}`;
}

function secretFacts(secret: string): string {
  const facts = [`${byteLength(secret)} bytes`];
  if (secret === TEST_SECRET) facts.push('the built-in test secret');
  else if (secret === OTHER_TEST_SECRET) facts.push('the second built-in test secret');
  if (/\r?\n$/.test(secret)) facts.push('ends with a line break, which is part of the key');
  else if (secret !== secret.trim()) facts.push('has spaces around it, which are part of the key');
  return facts.join(' · ');
}

export class TokenPlayground extends HTMLElement {
  #store = createStore(initialState());
  #ready = false;
  #seq = 0;
  #builderSeq = 0;
  #caseSeq = 0;
  /** The control the reader is editing: its value is not written back while they type. */
  #source: EventTarget | null = null;
  /** Set while a whole new state is applied: every control is rewritten, focused or not. */
  #force = false;
  #pasting = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  #lastKey: string | null = null;
  #notice = '';
  /** False until the first state (fresh, case or link) is in place. */
  #started = false;
  #abort = new AbortController();

  #ref<T extends Element = HTMLElement>(name: string): T | null {
    return this.querySelector<T>(`[data-ref="${name}"]`);
  }

  connectedCallback(): void {
    if (this.#ready) return;
    this.#ready = true;
    this.#abort = new AbortController();
    const signal = this.#abort.signal;
    show(this.#ref('fallback'), false);
    show(this.#ref('app'), true);
    this.addEventListener('input', (event) => this.#onInput(event), { signal });
    this.addEventListener('change', (event) => this.#onChange(event), { signal });
    this.addEventListener('click', (event) => this.#onClick(event), { signal });
    this.addEventListener('paste', () => (this.#pasting = true), { signal });
    this.#store.subscribe(() => {
      this.#renderControls();
      if (this.#started) void this.#update();
    });
    if (this.hasAttribute('data-hash-state')) {
      window.addEventListener('hashchange', () => void this.#openFragment(location.hash), { signal });
    }
    this.#timer = setInterval(() => {
      if (this.#started && this.#store.get().clock.live && document.visibilityState !== 'hidden') void this.#update();
    }, 1000);
    void this.#start();
  }

  disconnectedCallback(): void {
    this.#abort.abort();
    clearInterval(this.#timer);
    this.#ready = false;
  }

  async #start(): Promise<void> {
    await yieldToMain(); // let the browser paint the page before the first evaluation
    if (this.hasAttribute('data-hash-state') && (await this.#openFragment(location.hash))) return;
    const name = this.dataset.scenario;
    if (name && (await this.#openCase(name))) return;
    await this.#fresh();
  }

  /** A valid token signed with the test secret, on the live clock. */
  async #fresh(): Promise<void> {
    const state = await caseState(scenarioByName('valid')!, initialState(), Date.now() / 1000);
    await yieldToMain();
    this.#replace({ ...state, clock: { live: true }, caseName: null });
  }

  #replace(state: State): void {
    this.#started = true;
    this.#builderSeq++; // a token still being signed for the previous state must not land in this one
    this.#force = true;
    try {
      this.#store.dispatch({ type: 'replace', state });
    } finally {
      this.#force = false;
    }
  }

  #dispatch(action: Action, source: EventTarget | null = null): void {
    this.#source = source;
    try {
      this.#store.dispatch(action);
    } finally {
      this.#source = null;
    }
  }

  /** Opens a case by name; false when there is none by that name. */
  async #openCase(name: string): Promise<boolean> {
    const scenario = scenarioByName(name);
    if (!scenario) {
      this.#notice = `No case is named "${name.slice(0, 80)}". Pick one from the list.`;
      return false;
    }
    const seq = ++this.#caseSeq;
    const state = this.#store.get();
    // The current clock: the reader's fixed moment if they set one, else the real time.
    const now = !state.clock.live && !state.clock.byCase ? state.clock.at : Date.now() / 1000;
    const next = await caseState(scenario, state, now);
    if (seq !== this.#caseSeq) return true; // another case was asked for meanwhile
    this.#notice = '';
    this.#replace(next);
    return true;
  }

  /** Applies a fragment (#case=... or a share link); false when it is not one. */
  async #openFragment(hash: string): Promise<boolean> {
    const fragment = decodeFragment(hash);
    if (fragment.kind === 'none') return false;
    if (fragment.kind === 'case') {
      const opened = await this.#openCase(fragment.name);
      if (!opened && !this.#store.get().input) await this.#fresh();
      this.#renderControls();
      return true;
    }
    this.#caseSeq++;
    this.#notice = fragment.notes.join(' ');
    this.#replace(fragment.state);
    return true;
  }

  // ---- events ----

  #onInput(event: Event): void {
    const target = event.target as Control;
    const ref = target.dataset.ref;
    const value = target.value;
    const field = (name: ContextField) => this.#dispatch({ type: 'field', field: name, value }, target);
    switch (ref) {
      case 'input': {
        const pasted = this.#pasting;
        this.#pasting = false;
        this.#builderSeq++; // what the reader types wins over a token still being signed
        this.#dispatch({ type: 'input', text: value, pasted }, target);
        return;
      }
      case 'secret':
        return this.#dispatch({ type: 'secret', value }, target);
      case 'clock-date': {
        const at = new Date(value).getTime() / 1000;
        if (value !== '' && Number.isFinite(at)) this.#dispatch({ type: 'clock-fixed', at }, target);
        return;
      }
      case 'clock-seconds': {
        const at = Number(value);
        const valid = value.trim() !== '' && Number.isFinite(at);
        target.setAttribute('aria-invalid', String(!valid));
        if (valid) this.#dispatch({ type: 'clock-fixed', at }, target);
        return;
      }
      case 'leeway': {
        const leeway = Number(value);
        const valid = value.trim() !== '' && Number.isFinite(leeway) && leeway >= 0;
        target.setAttribute('aria-invalid', String(!valid));
        if (valid) this.#dispatch({ type: 'leeway', value: leeway }, target);
        return;
      }
      case 'issuer':
        return field('issuer');
      case 'audience':
        return field('audience');
      case 'path-user':
        return field('pathUserId');
      case 'role':
        return field('requiredRole');
      case 'url':
        return field('url');
      case 'signing':
        return void this.#build({ ...this.#store.get().builder, signingSecret: value }, target);
      case 'claims-json':
        return void this.#build({ ...this.#store.get().builder, claims: value }, target);
    }
    const claim = target.dataset.claim as FormClaim | undefined;
    if (claim) {
      const claims = setClaim(this.#store.get().builder.claims, claim, value);
      if (claims !== null) void this.#build({ ...this.#store.get().builder, claims }, target);
    }
  }

  #onChange(event: Event): void {
    const target = event.target as Control;
    const ref = target.dataset.ref;
    if (ref === 'clock-live' || ref === 'clock-fixed') {
      const state = this.#store.get();
      if (ref === 'clock-live') this.#dispatch({ type: 'clock-live' }, target);
      else this.#dispatch({ type: 'clock-fixed', at: Math.floor(clockNow(state)) }, target);
    } else if (ref === 'alg') {
      void this.#build({ ...this.#store.get().builder, alg: target.value as SignAlg }, target);
    }
  }

  #onClick(event: Event): void {
    const button = (event.target as Element).closest('button');
    if (!button || !this.contains(button)) return;
    const state = this.#store.get();
    if (button.dataset.preset) return void this.#openCase(button.dataset.preset);
    switch (button.dataset.ref) {
      case 'open-case':
        return void this.#openCase(this.#ref<HTMLSelectElement>('all-cases')?.value ?? '');
      case 'use-test-secret':
        return this.#dispatch({ type: 'secret', value: TEST_SECRET }, button);
      case 'issue-now': {
        const claims = issueNow(state.builder.claims, clockNow(state));
        if (claims !== null) void this.#build({ ...state.builder, claims }, button);
        return;
      }
      case 'load-claims':
        return void this.#loadClaims();
      case 'copy-response':
        return void this.#copy(this.#ref('response')?.textContent ?? '', 'copy-response-status');
      case 'copy-curl':
        return void this.#copy(this.#ref('curl')?.textContent ?? '', 'copy-curl-status');
      case 'copy-share':
        return void this.#copy(this.#shareUrl(), 'copy-share-status');
    }
  }

  async #copy(text: string, statusRef: string): Promise<void> {
    const ok = await copyText(text);
    const status = this.#ref(statusRef);
    setText(status, ok ? 'Copied.' : 'Could not copy: select the text and copy it by hand.');
    setTimeout(() => setText(status, ''), 4000);
  }

  /** Signs the builder's payload and puts the token in the request (the reader asked for it by editing the builder). */
  async #build(builder: Builder, source: EventTarget | null): Promise<void> {
    const seq = ++this.#builderSeq;
    this.#dispatch({ type: 'builder', builder }, source);
    const signed = await signBuilder(builder);
    if (seq !== this.#builderSeq) return;
    if (signed.ok) {
      this.#dispatch({ type: 'built', builder, token: signed.token }, source);
      setText(this.#ref('builder-status'), `Signed with ${builder.alg}; the request above now holds the new token.`);
    } else setText(this.#ref('builder-status'), signed.message);
  }

  /** Loads the request's token into the builder without signing anything. */
  async #loadClaims(): Promise<void> {
    const state = this.#store.get();
    const token = firstToken(extractAuthorization(state.input).authorization);
    const status = this.#ref('builder-status');
    if (!token) return setText(status, 'The request holds no bearer token to load.');
    const decoded = decodeToken(token);
    if (decoded.segments[1]?.decodedText === undefined) return setText(status, 'The token\'s payload cannot be decoded, so there is nothing to load.');
    this.#builderSeq++;
    const builder = builderFromToken(decoded, state.builder, await knownSigningSecret(token));
    this.#force = true;
    try {
      this.#dispatch({ type: 'builder', builder });
    } finally {
      this.#force = false;
    }
    setText(status, 'Loaded the claims; the request is unchanged until you edit them.');
  }

  #shareUrl(): string {
    return shareLink(this.#store.get(), new URL(this.dataset.page ?? location.pathname, location.href).href);
  }

  // ---- rendering ----

  #sync(ref: string | Control | null, value: string): void {
    const control = typeof ref === 'string' ? this.#ref<Control>(ref) : ref;
    if (!control) return;
    if (!this.#force && (control === this.#source || control === document.activeElement)) return;
    syncValue(control, value, null);
  }

  /** Writes the state into the controls and the texts that depend on the state only. */
  #renderControls(): void {
    const state = this.#store.get();
    const now = clockNow(state);
    this.#sync('input', state.input);
    this.#sync('secret', state.secret);
    this.#sync('leeway', String(state.leeway));
    this.#sync('issuer', state.issuer);
    this.#sync('audience', state.audience);
    this.#sync('path-user', state.pathUserId);
    this.#sync('role', state.requiredRole);
    this.#sync('url', requestUrl(state));
    this.#sync('signing', state.builder.signingSecret);
    this.#sync('alg', state.builder.alg);
    this.#sync('claims-json', state.builder.claims);
    for (const ref of ['leeway', 'clock-seconds']) {
      const control = this.#ref(ref);
      if (this.#force) control?.removeAttribute('aria-invalid');
    }

    // Clock
    const live = this.#ref<HTMLInputElement>('clock-live');
    const fixed = this.#ref<HTMLInputElement>('clock-fixed');
    if (live) live.checked = state.clock.live;
    if (fixed) fixed.checked = !state.clock.live;
    this.#renderClock(now);

    // Secret
    const secretWarning = this.#ref('secret-warning');
    setText(this.#ref('secret-status'), state.secret === '' ? 'Empty.' : secretFacts(state.secret));
    const warning = state.secretOmitted
      ? 'The link you opened did not carry the backend secret (links only carry the built-in test secret). Type the backend\'s secret to see its verdict.'
      : state.secret === ''
        ? 'No secret: the backend is not configured, so it must answer 500 (and should refuse to start).'
        : byteLength(state.secret) < MIN_SECRET_BYTES
          ? `Only ${byteLength(state.secret)} bytes: use at least ${MIN_SECRET_BYTES} random bytes in production (openssl rand -base64 32). The verdict still uses it.`
          : '';
    setText(secretWarning, warning ? `⚠ ${warning}` : '');
    show(secretWarning, warning !== '');

    // Builder
    const signing = state.builder.signingSecret;
    setText(
      this.#ref('signing-status'),
      signing === ''
        ? 'Empty: type a signing secret (or choose alg none).'
        : `${secretFacts(signing)} · ${signing === state.secret ? 'same as the backend secret' : 'differs from the backend secret: its tokens fail the signature check'}`,
    );
    const fields = claimFields(state.builder.claims);
    const form = this.#ref<HTMLFieldSetElement>('claims-form');
    if (form) form.disabled = fields === null;
    setText(
      this.#ref('claims-json-status'),
      fields === null
        ? '✗ Not a JSON object: the form is off until it is. The token is signed from this text as it is (a malformed payload on purpose is fine).'
        : 'Signed exactly as typed (whitespace outside strings removed).',
    );
    const claims = parseClaims(state.builder.claims);
    for (const name of FORM_CLAIMS) {
      this.#sync(this.querySelector<HTMLInputElement>(`[data-claim="${name}"]`), fields?.[name] ?? '');
    }
    for (const name of TIME_CLAIMS) {
      const value = claims?.[name];
      setText(
        this.querySelector(`[data-claim-when="${name}"]`),
        typeof value === 'number' && Number.isFinite(value)
          ? `${formatUtc(value)}, ${relativePhrase(name, value, now)}`
          : value === undefined
            ? 'Not set.'
            : 'Not a number.',
      );
    }

    // Case
    if (state.caseName) this.#sync('all-cases', state.caseName);
    const box = this.#ref('case');
    const scenario = state.caseName ? scenarioByName(state.caseName) : undefined;
    patch(box, `${scenario?.name ?? ''}|${this.#notice}`, () => [
      this.#notice ? h('p', { class: 'pg-warning' }, `⚠ ${this.#notice}`) : null,
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
    show(box, Boolean(scenario) || this.#notice !== '');

    // Share
    const carries = linkCarriesSecret(state.secret);
    setText(
      this.#ref('share-note'),
      [
        state.secret === ''
          ? 'The link records that the backend has no secret.'
          : carries
            ? 'The link includes the backend secret, because it is a built-in test secret.'
            : 'The link leaves your backend secret out (it is not the built-in test secret): whoever opens it must type it.',
        linkCarriesSecret(signing) || signing === ''
          ? ''
          : 'The signing secret is left out too.',
        state.clock.live ? 'The clock stays live: the receiver sees the verdict at their own time.' : 'The fixed clock travels with the link.',
      ]
        .filter(Boolean)
        .join(' '),
    );
    this.#ref<HTMLAnchorElement>('share-link')?.setAttribute('href', this.#shareUrl());
  }

  #renderClock(now: number): void {
    const state = this.#store.get();
    this.#sync('clock-date', toLocalInput(now));
    this.#sync('clock-seconds', String(Number(now.toFixed(3))));
    const mode = state.clock.live
      ? 'Live'
      : state.clock.byCase
        ? 'Fixed at the moment the case was built (choose Live for the real time)'
        : 'Fixed';
    setText(this.#ref('clock-status'), `${mode}: ${localDate(now) ?? 'not a representable date'} · ${formatUtc(Math.floor(now))} · ${Math.floor(now)}`);
  }

  /** Runs the engine on the current state and writes the results. */
  async #update(): Promise<void> {
    const seq = ++this.#seq;
    await yieldToMain(); // the controls were just written; evaluate in a task of its own
    if (seq !== this.#seq) return;
    const state = this.#store.get();
    const now = clockNow(state);
    const extracted = extractAuthorization(state.input);
    let evaluation: Evaluation;
    try {
      evaluation = await evaluate(verdictRequest(state, now));
    } catch (error) {
      // The engine never throws; if it ever did, say so rather than show a stale answer.
      setText(this.#ref('reason'), `The playground failed to evaluate this input: ${String(error)}`);
      return;
    }
    if (seq !== this.#seq) return;
    // The answer first; the rest after yielding to the browser, so no single task blocks it for long.
    const extra: string[] = [];
    if (
      evaluation.verdict.code === 'bad_signature' &&
      state.built !== null &&
      state.built === state.input &&
      state.builder.signingSecret !== state.secret
    ) {
      extra.push('This token was signed by the builder with its signing secret, which is not the backend secret.');
    }
    const refs: VerdictRefs = {
      box: this.#ref('verdict'),
      icon: this.#ref('icon'),
      outcome: this.#ref('outcome'),
      status: this.#ref('status'),
      statusText: this.#ref('status-text'),
      code: this.#ref('code'),
      check: this.#ref('check'),
      reason: this.#ref('reason'),
      actionLabel: this.#ref('action-label'),
      actionText: this.#ref('action-text'),
      hints: this.#ref('hints'),
      response: this.#ref('response'),
      trace: this.#ref('trace'),
    };
    renderVerdict(refs, evaluation, extra);
    await yieldToMain();
    if (seq !== this.#seq) return;
    if (state.clock.live) this.#renderClock(now);
    const count = headerCount(extracted.authorization);
    setText(
      this.#ref('read-as'),
      `${READ_AS[extracted.source]}${extracted.source === 'curl' || extracted.source === 'header-lines' ? ` ${count} Authorization header${count === 1 ? '' : 's'}.` : ''}`,
    );
    const view = tokenView(evaluation, extracted.authorization);
    renderSegments(this.#ref('token'), this.#ref('segments'), view);
    renderDecoded(
      {
        header: this.#ref('header'),
        headerProblem: this.#ref('header-problem'),
        payload: this.#ref('payload'),
        payloadProblem: this.#ref('payload-problem'),
        times: this.#ref('times'),
      },
      view,
      now,
    );

    setText(this.#ref('curl'), curlCommand(extracted.authorization, requestUrl(state)));
    this.#sync('url', requestUrl(state));

    const key = verdictKey(evaluation);
    if (this.#lastKey !== null && key !== this.#lastKey) setText(this.#ref('announcer'), verdictSentence(evaluation));
    this.#lastKey = key;
    this.dataset.ready = '';
  }
}

/** Gives the browser a turn (rendering, input) between two pieces of work. */
function yieldToMain(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

if (!customElements.get('token-playground')) customElements.define('token-playground', TokenPlayground);
