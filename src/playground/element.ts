/**
 * <token-playground>: the custom element that brings the server-rendered playground markup to life.
 * It owns the store, wires DOM events to actions, runs the verdict engine on every change (and every
 * second on the live clock) and writes into the page what the pure views (view-model.ts, report.ts)
 * return. It makes no data-bearing requests (only its own lazy script chunks) and stores nothing. The case
 * list loads when its panel nears the view or a case opens.
 */
import { extractAuthorization } from '../contract/verifier/authorization.ts';
import { decodeToken } from '../contract/codec/decode.ts';
import { curlCommand } from '../contract/verifier/response.ts';
import { TEST_SECRET } from '../contract/data/fixtures.ts';
import { type Evaluation, evaluate } from '../contract/verifier/verify.ts';
import { builderFromToken, firstToken, freshState, issueNow, knownSigningSecret, signBuilder } from './builder.ts';
import { intentOf } from './intents.ts';
import { copyText } from './clipboard.ts';
import { h, setText, show, syncValue } from './dom.ts';
import { type Control, type RenderContext, detailSteps, renderAnswer, renderClock, renderControls } from './render-controls.ts';
import { tokenView } from './render-token.ts';
import { type Action, type Builder, type KeyPairAlg, type State, clockNow, createStore, initialState, isKeyPairAlg, requestUrl, verdictRequest, waitsForSecret } from './state.ts';
import { type HintView, type VerdictView, hintViews, verdictView } from './view-model.ts';

type Cases = typeof import('./presets.ts');
type Report = typeof import('./report.ts');
type KeyPairs = typeof import('./key-pairs.ts');
type Diagnosis = typeof import('../contract/verifier/diagnose.ts');
type DiagnoseInput = import('../contract/verifier/diagnose.ts').DiagnoseInput;
type Share = typeof import('./share-link.ts');
type KeySetView = typeof import('./key-set-view.ts');

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
  /** The request text the page filled in (a sample or a case): a paste replaces it instead of adding to it. */
  #sample: string | null = null;
  /** States left by following a link on this page, by the address they were at: Back brings them back. */
  #left = new Map<string, State>();
  #cases: Cases | null = null;
  /** Settles once the list of all cases is in the page (it is built a group at a time). */
  #caseList: Promise<void> = Promise.resolve();
  /** The comparison and Copy diagnosis (report.ts): loaded when first needed, or when the page is idle. */
  #report: Report | null = null;
  /** Key pairs and the TEST keys (key-pairs.ts): loaded when the builder signs with a key pair or a test key set is asked for. */
  #keyPairs: KeyPairs | null = null;
  /**
   * The diagnosis of likely causes (diagnose.ts): a correct token needs none, so the first answer does not wait
   * for it. Loaded right after the first answer, or at once when the page opens with a case or a link.
   */
  #diagnoser: Diagnosis | null = null;
  /** The share link (share-link.ts): loaded at once when the page opens with a fragment, else when idle. */
  #share: Share | null = null;
  /** What the page says about a pasted key set (key-set-view.ts): loaded when a key-set profile is chosen. */
  #keySetView: KeySetView | null = null;
  /** The last evaluation and what the page made of it, for Copy diagnosis and the fixes. */
  #last: { evaluation: Evaluation; view: VerdictView; hints: HintView[]; diagnosed: DiagnoseInput } | null = null;
  /** False until the first state (fresh, case or link) is in place. */
  #started = false;
  #abort = new AbortController();

  /** The island's parts, found once: the markup is server-rendered and its data-ref elements are never replaced. */
  #parts = new Map<string, Element | null>();

  #ref<T extends Element = HTMLElement>(name: string): T | null {
    return this.#query<T>(`[data-ref="${name}"]`);
  }

  #query<T extends Element = HTMLElement>(selector: string): T | null {
    let found = this.#parts.get(selector);
    if (found === undefined) {
      found = this.querySelector(selector);
      this.#parts.set(selector, found);
    }
    return found as T | null;
  }

  get #base(): string {
    return this.dataset.base ?? '/';
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
    this.addEventListener('paste', (event) => this.#onPaste(event), { signal });
    this.#store.subscribe(() => {
      this.#renderControls();
      // An edit in a control is answered at once; a whole new state (the page's start, a case, a link) is
      // evaluated in a task of its own, after the controls it just wrote are painted.
      if (this.#started) void this.#update(this.#source !== null);
    });
    if (this.hasAttribute('data-hash-state')) {
      window.addEventListener('hashchange', (event) => void this.#onHashChange(event), { signal });
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
    await nextTask(); // let the browser paint the page before the first evaluation
    const hashed = this.hasAttribute('data-hash-state') && location.hash.length > 1;
    // A case or a link is opened to be debugged: its diagnosis loads at once, beside the case list.
    if (hashed || this.dataset.scenario) void this.#loadDiagnosis();
    const opened = hashed && (await this.#openFragment(location.hash));
    const name = opened ? undefined : this.dataset.scenario;
    if (!opened && !(name && (await this.#openCase(name)))) await this.#fresh();
    // What the first answer does not need loads later: the share link, the comparison and the diagnosis one per
    // idle period (each evaluated in a task of its own); the cases (168 of them, the largest lazy part) when
    // their panel comes within a screen of the view, so that a click on a case still answers at once.
    const idle = (load: () => Promise<unknown>) => new Promise<void>((done) => whenIdle(() => void load().finally(done)));
    void idle(this.#loadShare)
      .then(() => idle(this.#loadReport))
      .then(() => idle(this.#loadDiagnosis));
    this.#whenNear(this.#ref('cases-panel'), () => void this.#loadCases());
  }

  /** Runs `load` once, when `panel` comes within a screen's height of the view (at once without IntersectionObserver). */
  #whenNear(panel: Element | null, load: () => void): void {
    if (!panel || typeof IntersectionObserver !== 'function') return load();
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        observer.disconnect();
        load();
      },
      { rootMargin: '100% 0px' },
    );
    observer.observe(panel);
    this.#abort.signal.addEventListener('abort', () => observer.disconnect());
  }

  /** A valid token signed with the test secret, on the live clock. */
  async #fresh(): Promise<void> {
    const state = await freshState(this.#store.get(), Date.now() / 1000);
    await yieldToMain();
    this.#replace(state, true);
  }

  #replace(state: State, sample = false): void {
    this.#started = true;
    this.#sample = sample ? state.input : null;
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

  /** Imports in flight or done, by name: a module asked for twice is imported, and set up, once. */
  #pending = new Map<string, Promise<unknown>>();

  /** Imports a module the page needs only sometimes, once; `ready` keeps it and writes what it adds to the page. */
  #once<T>(name: string, load: () => Promise<T>, ready: (module: T) => void): Promise<T> {
    let pending = this.#pending.get(name) as Promise<T> | undefined;
    if (!pending) {
      pending = load().then(
        (module) => {
          ready(module);
          return module;
        },
        (error: unknown) => {
          this.#pending.delete(name); // a failed download is tried again next time
          throw error;
        },
      );
      this.#pending.set(name, pending);
    }
    return pending;
  }

  #loadCases = () =>
    this.#once('cases', () => import('./presets.ts'), (cases) => {
      this.#cases = cases;
      this.#caseList = this.#fillCaseList(cases);
    });

  #loadShare = () =>
    this.#once('share', () => import('./share-link.ts'), (share) => {
      this.#share = share;
      // Only the note and the link depend on it: no new evaluation.
      this.#renderControls();
      if (this.#started) this.#ref<HTMLAnchorElement>('share-link')?.setAttribute('href', this.#shareUrl());
    });

  #loadKeySetView = () =>
    this.#once('key-set-view', () => import('./key-set-view.ts'), (view) => {
      this.#keySetView = view;
      this.#renderControls();
    });

  #loadDiagnosis = () =>
    this.#once('diagnosis', () => import('../contract/verifier/diagnose.ts'), (diagnoser) => {
      this.#diagnoser = diagnoser;
      // The answer on the page is written again only if the diagnosis has something to add to it.
      const last = this.#last;
      if (this.#started && last && diagnoser.diagnose(last.diagnosed).length > 0) void this.#update();
    });

  #loadKeyPairs = () =>
    this.#once('key-pairs', () => import('./key-pairs.ts'), (pairs) => {
      this.#keyPairs = pairs;
      this.#renderControls();
    });

  #loadReport = () =>
    this.#once('report', () => import('./report.ts'), (report) => {
      this.#report = report;
      if (this.#started && this.#store.get().answer.trim() !== '') void this.#update();
    });

  /**
   * The list of all cases, grouped by answer: built once the case list is loaded, a group per task (168 options
   * made at once held the page for tens of milliseconds).
   */
  async #fillCaseList(cases: Cases): Promise<void> {
    const select = this.#ref<HTMLSelectElement>('all-cases');
    if (!select) return;
    const groups: HTMLElement[] = [];
    for (const group of cases.caseGroups()) {
      groups.push(h('optgroup', { label: group.label }, ...group.items.map((item) => h('option', { value: item.name }, `${item.title} (${item.name})`))));
      await yieldToMain();
    }
    select.replaceChildren(...groups); // the list changes once: never half built
    const name = this.#store.get().caseName;
    if (name) select.value = name;
  }

  /** Opens a case by name; false when there is none by that name. */
  async #openCase(name: string): Promise<boolean> {
    const seq = ++this.#caseSeq;
    const cases = await this.#loadCases();
    const scenario = cases.scenarioByName(name);
    if (!scenario) {
      this.#notice = `No case is named "${name.slice(0, 80)}". Pick one from the list.`;
      return false;
    }
    const state = this.#store.get();
    // The current clock: the reader's fixed moment if they set one, else the real time.
    const now = !state.clock.live && !state.clock.byCase ? state.clock.at : Date.now() / 1000;
    const next = await cases.caseState(scenario, state, now);
    if (seq !== this.#caseSeq) return true; // another case was asked for meanwhile
    this.#notice = '';
    this.#replace(next, true);
    return true;
  }

  /** Following a link on this page keeps what was there: Back (to that address) brings it back. */
  async #onHashChange(event: HashChangeEvent): Promise<void> {
    const current = this.#store.get();
    if (this.#started) this.#left.set(event.oldURL, current);
    const kept = this.#left.get(event.newURL);
    const { decodeFragment } = await this.#loadShare();
    if (kept && decodeFragment(location.hash).kind !== 'case') {
      this.#left.delete(event.newURL);
      this.#caseSeq++;
      this.#notice = '';
      this.#replace(kept);
      return;
    }
    await this.#openFragment(location.hash);
  }

  /** Applies a fragment (#case=... or a share link); false when it is not one. */
  async #openFragment(hash: string): Promise<boolean> {
    const fragment = (await this.#loadShare()).decodeFragment(hash);
    if (fragment.kind === 'none') return false;
    if (fragment.kind === 'case') {
      const opened = await this.#openCase(fragment.name);
      if (!opened && !this.#started) await this.#fresh();
      this.#renderControls();
      return true;
    }
    this.#caseSeq++;
    this.#notice = fragment.notes.join(' ');
    this.#replace(fragment.state);
    // The one thing the reader must do is type the secret the link left out: take them to its field.
    if (waitsForSecret(fragment.state) && fragment.state.profile !== 'jwks') this.#ref<HTMLTextAreaElement>('secret')?.focus();
    return true;
  }

  // ---- events ----

  /** Pasting into the sample the page filled in replaces it: nobody means "sample + my token". */
  #onPaste(event: ClipboardEvent): void {
    const target = event.target as HTMLTextAreaElement;
    this.#pasting = true;
    if (target.dataset.ref !== 'input' || this.#sample === null || target.value !== this.#sample) return;
    const text = event.clipboardData?.getData('text/plain');
    if (text === undefined || text === '') return;
    event.preventDefault();
    target.value = text;
    target.setSelectionRange(text.length, text.length);
    target.dispatchEvent(new Event('input', { bubbles: true }));
  }

  #onInput(event: Event): void {
    const target = event.target as Control;
    const ref = target.dataset.ref ?? '';
    const value = target instanceof HTMLInputElement && target.type === 'checkbox' ? String(target.checked) : target.value;
    const intent = intentOf(ref, target.dataset.claim, value, this.#store.get(), this.#pasting);
    if (intent.valid !== undefined) target.setAttribute('aria-invalid', String(!intent.valid));
    if (ref === 'input') {
      this.#pasting = false;
      this.#sample = null;
      this.#builderSeq++; // what the reader types wins over a token still being signed
    }
    if (intent.kind === 'action') this.#dispatch(intent.action, target);
    else if (intent.kind === 'build') void this.#build(intent.builder, target);
  }

  #onChange(event: Event): void {
    const target = event.target as Control;
    const ref = target.dataset.ref;
    if (ref === 'clock-live') this.#dispatch({ type: 'clock-live' }, target);
    else if (ref === 'clock-fixed') this.#dispatch({ type: 'clock-fixed', at: Math.floor(clockNow(this.#store.get())) }, target);
  }

  #onClick(event: Event): void {
    const button = (event.target as Element).closest('button');
    if (!button || !this.contains(button)) return;
    const state = this.#store.get();
    if (button.dataset.preset) return void this.#openCase(button.dataset.preset);
    if (button.dataset.fix !== undefined) {
      const fix = this.#last?.hints[Number(button.dataset.fix)]?.fix;
      if (fix) this.#applyInput(fix.input);
      return;
    }
    switch (button.dataset.ref) {
      case 'open-case':
        return void this.#loadCases()
          .then(() => this.#caseList)
          .then(() => this.#openCase(this.#ref<HTMLSelectElement>('all-cases')?.value ?? ''));
      case 'use-test-secret':
        return this.#dispatch({ type: 'secret', value: TEST_SECRET }, button);
      case 'use-test-key-set':
        return void this.#loadKeyPairs().then((pairs) => this.#applySettings({ type: 'field', field: 'keySet', value: pairs.testKeySet() }));
      case 'generate-key-pair':
        return void this.#generateKeyPair(button);
      case 'use-public-key-set':
        return void this.#loadKeyPairs().then((pairs) =>
          this.#applySettings({ type: 'use-key-set', keySet: pairs.publicKeySet(this.#store.get().builder), algorithm: this.#store.get().builder.alg }),
        );
      case 'issue-now': {
        const claims = issueNow(state.builder.claims, clockNow(state));
        if (claims !== null) void this.#build({ ...state.builder, claims }, button);
        return;
      }
      case 'load-claims':
        return void this.#loadClaims();
      case 'copy-diagnosis':
        return void this.#loadReport().then(() => this.#copy(this.#diagnosis(), 'copy-diagnosis-status'));
      case 'copy-response':
        return void this.#copy(this.#ref('response')?.textContent ?? '', 'copy-response-status');
      case 'copy-curl':
        return void this.#copy(curlCommand(extractAuthorization(state.input).authorization, requestUrl(state)), 'copy-curl-status');
      case 'copy-share':
        return void this.#loadShare().then(() => this.#copy(this.#shareUrl(), 'copy-share-status'));
    }
  }

  /** A setting changed by a button: written into its control even if that control has focus. */
  #applySettings(action: Action): void {
    this.#force = true;
    try {
      this.#dispatch(action);
    } finally {
      this.#force = false;
    }
  }

  /** Generates a test key pair in this tab for the builder's algorithm and signs the request with it. */
  async #generateKeyPair(button: HTMLButtonElement): Promise<void> {
    const alg = this.#store.get().builder.alg;
    if (!isKeyPairAlg(alg)) return;
    const status = this.#ref('builder-status');
    button.disabled = true;
    setText(status, `Generating an ${alg} key pair…`);
    try {
      const pairs = await this.#loadKeyPairs();
      const generated = await pairs.generateKeyPair(alg as KeyPairAlg);
      if (!generated.ok) return setText(status, generated.message);
      await this.#build({ ...this.#store.get().builder, alg, kid: generated.kid }, button);
    } finally {
      button.disabled = false;
    }
  }

  /** Puts a corrected text in the request field, as if the reader had typed it. */
  #applyInput(text: string): void {
    const input = this.#ref<HTMLTextAreaElement>('input');
    this.#sample = null;
    this.#builderSeq++;
    this.#force = true;
    try {
      this.#dispatch({ type: 'input', text });
    } finally {
      this.#force = false;
    }
    input?.focus();
  }

  #diagnosis(): string {
    const last = this.#last;
    if (!last || !this.#report) return '';
    return this.#report.diagnosisMarkdown(last.view, last.hints, tokenView(last.evaluation, extractAuthorization(this.#store.get().input).authorization).decoded, last.evaluation.now);
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
    this.#sample = null;
    if (signed.ok) {
      this.#dispatch({ type: 'built', builder, token: signed.token }, source);
      const key = isKeyPairAlg(builder.alg) && builder.kid !== '' ? ` and the key pair generated here (kid ${builder.kid})` : isKeyPairAlg(builder.alg) ? ' and its built-in test key' : '';
      setText(this.#ref('builder-status'), `Signed with ${builder.alg}${key}; the request above now holds the new token.`);
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

  #shareCache: { state: State; key: string; url: string } | null = null;

  #shareUrl(): string {
    const state = this.#store.get();
    const verdict = this.#last?.evaluation.verdict;
    const seen = verdict ? { status: verdict.status, code: verdict.code } : null;
    const key = JSON.stringify(seen);
    if (!this.#share) return new URL(this.dataset.page ?? location.pathname, location.href).href;
    if (this.#shareCache?.state !== state || this.#shareCache.key !== key) {
      this.#shareCache = { state, key, url: this.#share.shareLink(state, new URL(this.dataset.page ?? location.pathname, location.href).href, seen) };
    }
    return this.#shareCache.url;
  }

  // ---- rendering ----

  #sync(ref: string | Control | null, value: string): void {
    const control = typeof ref === 'string' ? this.#ref<Control>(ref) : ref;
    if (!control) return;
    if (!this.#force && (control === this.#source || control === document.activeElement)) return;
    syncValue(control, value, null);
  }

  #context(): RenderContext {
    return {
      ref: (name) => this.#ref(name),
      query: (selector) => this.#query(selector),
      sync: (ref, value) => this.#sync(ref, value),
      force: this.#force,
    };
  }

  #renderControls(): void {
    const state = this.#store.get();
    const scenario = state.caseName ? this.#cases?.scenarioByName(state.caseName) : undefined;
    let keyPair = null;
    if (isKeyPairAlg(state.builder.alg)) {
      const pairs = this.#keyPairs;
      if (!pairs) void this.#loadKeyPairs();
      else {
        const key = pairs.signingKey(state.builder);
        keyPair = {
          status: key.generated
            ? `Signs with the ${state.builder.alg} key pair generated in this tab (kid ${key.kid}). Its private key stays in this tab's memory: never in a link or in storage, gone when you reload.`
            : `Signs with the built-in TEST key "${key.kid}": it is public, never trust it anywhere real. Generate a key pair to sign with a key of your own.`,
          publicKeySet: pairs.publicKeySet(state.builder),
        };
      }
    }
    if (state.profile !== 'hs256' && !this.#keySetView) void this.#loadKeySetView();
    renderControls(this.#context(), state, this.#notice, scenario, {
      keyPair,
      keySetStatus: state.profile !== 'hs256' && this.#keySetView ? this.#keySetView.keySetStatus(state) : null,
      shareNote: this.#share ? this.#share.shareNote(state) : null,
    });
  }

  /** Runs the engine on the current state and writes the results. */
  async #update(edit = false): Promise<void> {
    const seq = ++this.#seq;
    // Several actions dispatched in one go make one evaluation: the last one's. After an edit, a microtask, not
    // a task, so the answer is written before the browser paints the keystroke, not a frame later. Otherwise,
    // and for a huge paste (the page shows the pasted text before the engine reads it), a task of its own.
    await Promise.resolve();
    if (!edit || this.#store.get().input.length > 65_536) await yieldToMain();
    if (seq !== this.#seq) return;
    const state = this.#store.get();
    const now = clockNow(state);
    const extracted = extractAuthorization(state.input); // parsed once per update
    let evaluation: Evaluation;
    try {
      evaluation = await evaluate(verdictRequest(state, now, extracted.authorization));
    } catch (error) {
      // The engine never throws; if it ever did, say so rather than show a stale answer.
      setText(this.#ref('reason'), `The playground failed to evaluate this input: ${String(error)}`);
      return;
    }
    // Not after an edit (the reader waits for it): the answer is written in a task of its own.
    if (!edit) await yieldToMain();
    if (seq !== this.#seq) return;
    // The answer first; the rest after yielding to the browser, so no single task blocks it for long.
    const extra: string[] = [];
    const { verdict } = evaluation;
    const built = state.built !== null && state.built === state.input;
    if (built && verdict.code === 'bad_signature' && !isKeyPairAlg(state.builder.alg) && state.builder.signingSecret !== state.secret) {
      extra.push('This token was signed by the builder with its signing secret, which is not the backend secret.');
    }
    if (built && (verdict.code === 'unknown_key' || verdict.code === 'bad_signature') && isKeyPairAlg(state.builder.alg)) {
      extra.push('The builder signed this token with a key the backend\'s key set does not hold: "Use this key set in the backend" (under Build and sign) puts its public key there.');
    }
    if (built && verdict.code === 'unsupported_alg' && isKeyPairAlg(state.builder.alg) && state.profile === 'hs256') {
      extra.push('The builder signed with a key pair: choose the jwks (or both) key profile in Backend settings, and give the backend the builder\'s public key set.');
    }
    const view = verdictView(evaluation, state);
    const diagnosed: DiagnoseInput = { text: state.input, extracted, evaluation, issuer: state.issuer };
    const findings = this.#diagnoser ? this.#diagnoser.diagnose(diagnosed) : [];
    // The page's own fresh sample token, accepted, needs no diagnosis: for that first answer it loads when the page
    // is idle. Any other answer loads it at once (an accepted token can still carry, say, times in milliseconds).
    if (!this.#diagnoser && (view.tone !== 'ok' || this.#last !== null)) void this.#loadDiagnosis();
    const hints = hintViews(evaluation, findings, extra);
    this.#last = { evaluation, view, hints, diagnosed };
    renderAnswer(this.#context(), view, hints, this.#base);
    performance.mark('pg-verdict'); // the answer is in the page (npm run bench:playground measures up to here)
    if (this.#lastKey !== view.key && (this.#lastKey !== null || view.tone === 'pending')) setText(this.#ref('announcer'), view.sentence);
    this.#lastKey = view.key;

    await yieldToMain();
    if (seq !== this.#seq) return;
    const context = this.#context();
    if (state.clock.live) renderClock(context, state, now);
    const report = this.#report;
    if (!report && state.answer.trim() !== '') void this.#loadReport();
    const comparison = report ? report.comparisonView(state.answer, verdict, view.tone === 'pending') : null;
    // The details in a few short tasks, not one long one: input and painting get their turns in between.
    for (const step of detailSteps(context, { state, now, extracted, evaluation, comparison })) {
      step();
      await yieldToMain();
      if (seq !== this.#seq) return;
    }
    this.#ref<HTMLAnchorElement>('share-link')?.setAttribute('href', this.#shareUrl());
    this.dataset.ready = '';
  }
}

/** A task of its own, after those already queued: the browser may paint before it runs. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Runs `run` when the browser is idle (a second later where it has no requestIdleCallback). */
function whenIdle(run: () => void): void {
  if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(run);
  else setTimeout(run, 1000);
}

type Scheduler = { yield(): Promise<void> };

/**
 * Gives the browser a turn (rendering, input) between two pieces of work. scheduler.yield() where the browser
 * has it: the rest of the work comes back before other queued tasks, and without setTimeout's 4 ms clamp.
 */
function yieldToMain(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Partial<Scheduler> }).scheduler;
  return typeof scheduler?.yield === 'function' ? scheduler.yield() : nextTask();
}

if (!customElements.get('token-playground')) customElements.define('token-playground', TokenPlayground);
