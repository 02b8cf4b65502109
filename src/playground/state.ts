/**
 * The playground's state and its transitions: plain data and pure functions, no DOM.
 * The pasted text (`input`) is the request as the backend receives it; only an explicit action
 * (a preset, the builder, typing or pasting) replaces it. Changing the backend's configuration
 * (secret, clock, leeway, issuer...) changes the verdict, never the token.
 */
import { type AuthorizationInput, extractAuthorization } from '../contract/verifier/authorization.ts';
import { DEFAULT_KEY_SET_ALGORITHM, DEFAULT_LEEWAY, DEFAULT_PROFILE, type Profile } from '../contract/data/contract.ts';
import { EXAMPLE_AUDIENCE, EXAMPLE_ISSUER, TEST_SECRET } from '../contract/data/fixtures.ts';
import type { VerdictRequest } from '../contract/verifier/verify.ts';

/** What the builder signs with: an HMAC secret, no signature, or a key pair (what Better Auth's JWT plugin uses). */
export type SignAlg = 'HS256' | 'HS384' | 'HS512' | 'none' | KeyPairAlg;
export type KeyPairAlg = 'EdDSA' | 'ES256' | 'RS256';
export const KEY_PAIR_ALGS: readonly KeyPairAlg[] = ['EdDSA', 'ES256', 'RS256'];
export const SIGN_ALGS: readonly SignAlg[] = ['HS256', 'HS384', 'HS512', 'none', ...KEY_PAIR_ALGS];
export const isKeyPairAlg = (alg: string): alg is KeyPairAlg => (KEY_PAIR_ALGS as readonly string[]).includes(alg);

/** The clock the backend runs on: the real time, or a moment fixed by the reader or by a case. */
export type Clock = { live: true } | { live: false; at: number; byCase?: boolean };

export interface Builder {
  /** The payload JSON as typed (signed exactly, whitespace outside strings removed). */
  claims: string;
  alg: SignAlg;
  /** The secret the builder signs with, which stands for the Next.js side; never the backend's. */
  signingSecret: string;
  /**
   * Key-pair algorithms: the kid of the key that signs. Empty means the built-in TEST key of the algorithm;
   * otherwise a key pair generated in this tab (its private key lives in memory only, see key-pairs.ts).
   */
  kid: string;
}

export interface State {
  /** What was pasted or typed: a token, a header line, a request, a curl command, JSON. Never rewritten. */
  input: string;
  /** Where the backend's keys come from: the shared secret (hs256), a key set (jwks), or both. */
  profile: Profile;
  /** BETTER_AUTH_SECRET as the backend has it; empty means not configured. */
  secret: string;
  /** jwks, both: the key set the backend fetched, as pasted (the JSON of /api/auth/jwks); empty means not configured. */
  keySet: string;
  /** jwks, both: the backend cannot fetch a key set (the URL is down or does not serve one). */
  keySetUnavailable: boolean;
  /** jwks, both: the algorithm the backend is configured with (AUTH_JWT_ALG). */
  algorithm: string;
  /** Set when a share link left the backend secret out: the reader must type it. */
  secretOmitted: boolean;
  /** The status and code the sender of a share link saw (links that leave the secret out carry them). */
  sender: { status: number; code: string | null } | null;
  /** The response the reader's own backend sent, pasted for comparison; never part of a link. */
  answer: string;
  clock: Clock;
  leeway: number;
  pathUserId: string;
  requiredRole: string;
  issuer: string;
  audience: string;
  /** The URL of the curl command; empty means the one that fits the route. */
  url: string;
  builder: Builder;
  /** The case (scenario) the state was opened from, until the reader changes something. */
  caseName: string | null;
  /** The last token the builder produced, to explain a signature that fails with the backend secret. */
  built: string | null;
}

export const API_ORIGIN = 'http://localhost:8000';

export function initialState(): State {
  return {
    input: '',
    profile: DEFAULT_PROFILE,
    secret: TEST_SECRET,
    keySet: '',
    keySetUnavailable: false,
    algorithm: DEFAULT_KEY_SET_ALGORITHM,
    secretOmitted: false,
    sender: null,
    answer: '',
    clock: { live: true },
    leeway: DEFAULT_LEEWAY,
    pathUserId: '',
    requiredRole: '',
    issuer: EXAMPLE_ISSUER,
    audience: EXAMPLE_AUDIENCE,
    url: '',
    builder: { claims: '{}', alg: 'HS256', signingSecret: TEST_SECRET, kid: '' },
    caseName: null,
    built: null,
  };
}

export type ContextField = 'pathUserId' | 'requiredRole' | 'issuer' | 'audience' | 'url' | 'keySet' | 'algorithm';

export type Action =
  /** The reader typed or pasted into the request field; `pasted` when it came from a paste. */
  | { type: 'input'; text: string; pasted?: boolean }
  | { type: 'secret'; value: string }
  /** The reader pasted their backend's response. */
  | { type: 'answer'; text: string }
  | { type: 'clock-live' }
  | { type: 'clock-fixed'; at: number }
  | { type: 'leeway'; value: number }
  | { type: 'field'; field: ContextField; value: string }
  | { type: 'profile'; value: Profile }
  | { type: 'key-set-unavailable'; value: boolean }
  /** The builder's public key set becomes the backend's (with the profile and algorithm it needs). */
  | { type: 'use-key-set'; keySet: string; algorithm: string }
  /** The builder produced a token: it replaces the request. */
  | { type: 'built'; builder: Builder; token: string }
  /** The builder changed but could not sign (no signing secret): the request stays as it was. */
  | { type: 'builder'; builder: Builder }
  /** A whole new state (a case, a share link). */
  | { type: 'replace'; state: State };

/** The state after an action. Pure: the same state and action always give the same result. */
export function reduce(state: State, action: Action): State {
  const edited = { ...state, caseName: null };
  switch (action.type) {
    case 'input': {
      // Pasting a token of one's own leaves a case's fixed moment: back to the real clock.
      const clock: Clock = action.pasted && !state.clock.live && state.clock.byCase ? { live: true } : state.clock;
      return { ...edited, input: action.text, clock };
    }
    case 'secret':
      return { ...edited, secret: action.value, secretOmitted: state.secretOmitted && action.value === '' };
    case 'answer':
      return { ...state, answer: action.text };
    case 'clock-live':
      return { ...state, clock: { live: true } };
    case 'clock-fixed':
      return Number.isFinite(action.at) ? { ...state, clock: { live: false, at: action.at } } : state;
    case 'leeway':
      return Number.isFinite(action.value) && action.value >= 0 ? { ...edited, leeway: action.value } : state;
    case 'field':
      return { ...(action.field === 'url' ? state : edited), [action.field]: action.value };
    case 'profile':
      return { ...edited, profile: action.value };
    case 'key-set-unavailable':
      return { ...edited, keySetUnavailable: action.value };
    case 'use-key-set':
      return {
        ...edited,
        keySet: action.keySet,
        keySetUnavailable: false,
        algorithm: action.algorithm,
        profile: state.profile === 'hs256' ? 'jwks' : state.profile,
      };
    case 'built':
      return { ...edited, builder: action.builder, input: action.token, built: action.token };
    case 'builder':
      return { ...state, builder: action.builder };
    case 'replace':
      return action.state;
  }
}

/** The backend's clock for this state, in seconds since the epoch. */
export function clockNow(state: Pick<State, 'clock'>, realNow: number = Date.now() / 1000): number {
  return state.clock.live ? realNow : state.clock.at;
}

/** The verdict request the engine evaluates for this state. */
export function verdictRequest(
  state: State,
  now: number,
  authorization: AuthorizationInput = extractAuthorization(state.input).authorization,
): VerdictRequest & { authorization: AuthorizationInput } {
  const request: VerdictRequest & { authorization: AuthorizationInput } = {
    authorization,
    secret: state.secret,
    now,
    leeway: state.leeway,
  };
  if (state.profile !== 'hs256') {
    request.profile = state.profile;
    request.algorithm = state.algorithm;
    request.keys = state.keySetUnavailable ? 'unavailable' : (readKeySetText(state.keySet) as VerdictRequest['keys']);
  }
  if (state.issuer !== '') request.issuer = state.issuer;
  if (state.audience !== '') request.audience = state.audience;
  if (state.pathUserId !== '') request.pathUserId = state.pathUserId;
  if (state.requiredRole !== '') request.requiredRole = state.requiredRole;
  return request;
}

let keySetMemo: { text: string; value: unknown } = { text: '', value: null };

/**
 * The key set as the verdict request carries it: null when nothing was pasted (not configured), the parsed
 * JSON, or the text itself when it is not JSON (the engine reads that as a key set the backend cannot use,
 * as a backend that fetched it would). Parsed once per text.
 */
export function readKeySetText(text: string): unknown {
  if (text !== keySetMemo.text) {
    let value: unknown = null;
    if (text.trim() !== '') {
      try {
        value = JSON.parse(text);
      } catch {
        value = text;
      }
    }
    keySetMemo = { text, value };
  }
  return keySetMemo.value;
}

/** The URL the curl command calls: the reader's, or the reference backend's route that fits. */
export function requestUrl(state: Pick<State, 'url' | 'pathUserId' | 'requiredRole'>): string {
  if (state.url.trim() !== '') return state.url.trim();
  return defaultUrl(state);
}

export function defaultUrl(state: Pick<State, 'pathUserId' | 'requiredRole'>): string {
  if (state.pathUserId !== '') return `${API_ORIGIN}/api/users/${encodeURIComponent(state.pathUserId)}/tasks`;
  if (state.requiredRole !== '') return `${API_ORIGIN}/api/admin/stats`;
  return `${API_ORIGIN}/api/me`;
}

/** Number of UTF-8 bytes of a secret (the key is its UTF-8 bytes). */
export const byteLength = (text: string) => new TextEncoder().encode(text).length;

type Listener = (state: State, previous: State) => void;

/** A tiny store: one state, replaced by actions, with subscribers. */
export function createStore(initial: State) {
  let state = initial;
  const listeners = new Set<Listener>();
  return {
    get: () => state,
    dispatch(action: Action) {
      const previous = state;
      state = reduce(state, action);
      if (state !== previous) for (const listener of listeners) listener(state, previous);
    },
    subscribe(listener: Listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
export type Store = ReturnType<typeof createStore>;

/** Whether the state came from a share link that left its secret out, and the secret has not been typed since. */
export const waitsForSecret = (state: Pick<State, 'secret' | 'secretOmitted'>) => state.secretOmitted && state.secret === '';
