/**
 * The key-set lifecycle checks (--profile jwks or both, after the scenarios): what the contract says about
 * fetching and caching the key set, checked by counting the requests the backend makes to the key set the
 * CLI serves (served-jwks.ts). Each is one result of kind 'key-set' with check id `key`:
 *
 * - cool-down: a burst of tokens with random unknown kids causes at most one key-set fetch per 30 s
 *   (KEY_SET_REFETCH_COOLDOWN), and each answers 401 unknown_key;
 * - rotation: a freshly generated TEST key with a new kid is added to the served set; once 30 s have passed
 *   since the last fetch, a token signed by it answers 200, after exactly one new fetch;
 * - unavailable: the served set answers 503; once the cool-down has passed again, a token with another new
 *   kid answers 503 keys_unavailable (no WWW-Authenticate), after exactly one fetch attempt.
 *
 * Expected answers come from the verdict engine with the key set as served (or "unavailable").
 */
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { encodeBase64urlText } from '../../../contract/codec/base64url.ts';
import { signInputWithKey } from '../../../contract/codec/sign.ts';
import { KEY_SET_REFETCH_COOLDOWN, type KeySetAlgorithm } from '../../../contract/data/contract.ts';
import { TEST_KID_FOR, testSigningKey } from '../../../contract/data/test-key-set.ts';
import { claimsFor } from '../../../contract/scenarios/builders.ts';
import type { Jwk } from '../../../contract/verifier/key-set.ts';
import { type VerdictRequest, evaluate } from '../../../contract/verifier/verify.ts';
import { type Answer, type Severity, SEVERITIES, answerOf, compare, expectedOf } from '../compare.ts';
import type { HttpAnswer, RequestFailure } from '../http.ts';
import type { Result } from '../result.ts';
import { type ProfileOptions, algorithmOf, keySetFields, profileOf } from './profile.ts';
import { type Fetch, SERVED_JWKS_PATH, type ServedJwks } from './served-jwks.ts';

export const LIFECYCLE_CHECKS = [
  { name: 'key-set-cooldown', title: 'Key set: a burst of unknown kids is refetched at most once per 30 s' },
  { name: 'key-set-rotation', title: 'Key set: a key added to the set is accepted after one refetch' },
  { name: 'key-set-unavailable', title: 'Key set: a failed refetch answers 503 keys_unavailable' },
] as const;

export type LifecycleName = (typeof LIFECYCLE_CHECKS)[number]['name'];

/** Tokens in the cool-down burst. */
export const BURST = 20;
/** Margin added to the cool-down before a fetch is expected (the backend's clock started before our log's). */
const MARGIN_MS = 500;
/** A fetch may arrive just after the answer (a backend that refreshes in the background). */
const SETTLE_MS = 200;
/** Two fetches closer than the cool-down minus this count as a violation. */
const TOLERANCE_MS = 1000;

export type Sender = (method: string, path: string, headers: [string, string][]) => Promise<HttpAnswer>;

export interface LifecycleOptions extends ProfileOptions {
  issuer: string | null;
  audience: string | null;
  mePath: string;
}

export interface LifecycleTools {
  served: ServedJwks;
  send: Sender;
  signal: AbortSignal;
  log: (line: string) => void;
  /** Which checks to run (default all). */
  only?: readonly string[];
  /** Milliseconds since the epoch (the served set's clock must be the same). */
  clock?: () => number;
  /** Waits, ending early when the signal aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  cooldownMs?: number;
  /** Called after each result (progress). */
  onResult?: (result: Result) => void;
}

function realSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

const worst = (severities: (Severity | null | undefined)[]): Severity | null =>
  SEVERITIES.find((severity) => severities.includes(severity)) ?? null;

const stamp = (at: number) => new Date(at).toISOString().slice(11, 23);

/** A kid no key set has; TEST in its name. */
const freshKid = (label: string) => `test-conformance-${label}-${randomBytes(6).toString('hex')}`;

export async function runLifecycle(options: LifecycleOptions, tools: LifecycleTools): Promise<Result[]> {
  const clock = tools.clock ?? Date.now;
  const sleep = tools.sleep ?? realSleep;
  const cooldownMs = tools.cooldownMs ?? KEY_SET_REFETCH_COOLDOWN * 1000;
  const { served, signal } = tools;
  const algorithm: KeySetAlgorithm = algorithmOf(options);
  const results: Result[] = [];
  const wanted = (name: LifecycleName) => !tools.only?.length || tools.only.includes(name);
  const titleOf = (name: LifecycleName) => LIFECYCLE_CHECKS.find((check) => check.name === name)!.title;

  const context = () => ({
    profile: profileOf(options),
    secret: options.secret,
    keys: served.keySet(),
    algorithm,
    now: Math.floor(clock() / 1000),
    issuer: options.issuer,
    audience: options.audience,
  });
  const token = async (kid: string, key: Jwk, alg: string) => {
    const input = `${encodeBase64urlText(JSON.stringify({ alg, kid, typ: 'JWT' }))}.${encodeBase64urlText(JSON.stringify(claimsFor(context())))}`;
    return signInputWithKey(input, key, alg);
  };
  const requestFor = (authorization: string, keys: VerdictRequest['keys']): VerdictRequest => {
    const request: VerdictRequest = { ...keySetFields(options, keys), authorization, secret: options.secret, now: Math.floor(clock() / 1000) };
    if (options.issuer) request.issuer = options.issuer;
    if (options.audience) request.audience = options.audience;
    return request;
  };
  const keySetFetchesSince = (index: number): Fetch[] => served.fetches.slice(index).filter((fetch) => fetch.path === SERVED_JWKS_PATH);
  /**
   * Waits until the cool-down since the last fetch the server saw has passed. With none seen yet, from when
   * the server started: the backend may have fetched just before from an earlier run on the same address.
   */
  const waitOutCooldown = async () => {
    const last = served.keySetFetches().at(-1);
    const since = Math.max(last?.at ?? -Infinity, served.startedAt ?? -Infinity);
    if (!Number.isFinite(since)) return;
    const ms = since + cooldownMs + MARGIN_MS - clock();
    if (ms <= 0) return;
    const what = last && last.at >= since ? `last key-set fetch at ${stamp(last.at)}` : `no fetch seen since serving began at ${stamp(since)}`;
    tools.log(`[key-set] waiting ${Math.ceil(ms / 1000)} s for the backend's cool-down (${what})`);
    await sleep(ms, signal);
  };

  /** Sends one token and compares the answer with the engine's for `keys`. */
  type Exchange = { expected: Answer; failure: string } | { expected: Answer; actual: Answer; differences: string[]; severity: Severity | null };
  const exchange = async (authorization: string, keys: VerdictRequest['keys']): Promise<Exchange> => {
    const verdict = (await evaluate(requestFor(authorization, keys))).verdict;
    const expected = expectedOf(verdict);
    try {
      const reply = await tools.send('GET', options.mePath, [['Authorization', authorization]]);
      const actual = answerOf(reply);
      return { expected, actual, ...compare(expected, actual) };
    } catch (error) {
      return { expected, failure: (error as RequestFailure).message ?? String(error) };
    }
  };
  const request = { method: 'GET', path: options.mePath, authorizationHeaders: 1 };

  const finish = (name: LifecycleName, started: number, fields: Partial<Result>, differences: string[], severities: (Severity | null | undefined)[]): Result => {
    const severity = worst(severities);
    const result: Result = {
      name,
      title: titleOf(name),
      kind: 'key-set',
      check: 'key',
      state: differences.length ? 'mismatched' : 'passed',
      request,
      differences,
      ms: clock() - started,
      ...fields,
    };
    if (differences.length) result.severity = severity ?? 'availability';
    results.push(result);
    tools.onResult?.(result);
    return result;
  };
  const noAnswer = (name: LifecycleName, started: number, expected: Result['expected'], failure: string): Result => {
    const result: Result = { name, title: titleOf(name), kind: 'key-set', check: 'key', state: 'no-answer', request, expected, actual: { status: null, failure }, differences: [failure], ms: clock() - started };
    results.push(result);
    tools.onResult?.(result);
    return result;
  };

  /**
   * Sends one token whose kid is new to the backend, which must cause exactly one key-set fetch (or attempt),
   * and records the answer with any difference in the number of fetches.
   */
  const expectOneFetch = async (
    name: LifecycleName,
    authorization: string,
    keys: VerdictRequest['keys'],
    words: (fetches: number) => { log: string; difference: string; severity: Severity },
  ): Promise<void> => {
    const started = clock();
    const from = served.fetches.length;
    const answer = await exchange(authorization, keys);
    if ('failure' in answer) {
      noAnswer(name, started, answer.expected, answer.failure);
      return;
    }
    await sleep(SETTLE_MS, signal);
    const fetches = keySetFetchesSince(from).length;
    const { log, difference, severity } = words(fetches);
    const differences = [...answer.differences];
    const severities: (Severity | null)[] = [answer.severity];
    if (fetches !== 1) {
      differences.push(difference);
      severities.push(severity);
    }
    tools.log(`[key-set] ${log.replace('{status}', String(answer.actual.status))}`);
    finish(name, started, { expected: answer.expected, actual: answer.actual }, differences, severities);
  };

  // (a) cool-down: a burst of unknown kids.
  if (wanted('key-set-cooldown') && !signal.aborted) {
    const started = clock();
    const from = served.fetches.length;
    const before = served.keySetFetches().at(-1);
    const signer = testSigningKey(TEST_KID_FOR[algorithm]);
    const differences: string[] = [];
    const severities: (Severity | null)[] = [];
    let first: Awaited<ReturnType<typeof exchange>> | null = null;
    let failure: string | null = null;
    for (let index = 0; index < BURST && !signal.aborted; index++) {
      const answer = await exchange(`Bearer ${await token(freshKid('unknown'), signer.key, algorithm)}`, served.keySet());
      first ??= answer;
      if ('failure' in answer) {
        failure = `token ${index + 1} of ${BURST}: ${answer.failure}`;
        break;
      }
      if (answer.severity) {
        differences.push(`token ${index + 1} of ${BURST}: ${answer.differences.join('; ')}`);
        severities.push(answer.severity);
      }
    }
    if (failure !== null) noAnswer('key-set-cooldown', started, first?.expected, failure);
    else if (!signal.aborted) {
      await sleep(SETTLE_MS, signal);
      const during = keySetFetchesSince(from);
      const times = [...(before ? [before] : []), ...during].map((fetch) => fetch.at);
      const tooSoon = times.slice(1).filter((at, index) => at - times[index]! < cooldownMs - Math.min(TOLERANCE_MS, cooldownMs / 10)).length;
      if (tooSoon) {
        differences.unshift(
          `the backend fetched the key set ${during.length}× for ${BURST} unknown kids (at ${during.map((fetch) => stamp(fetch.at)).join(', ')}; ` +
            `previous fetch ${before ? stamp(before.at) : 'none'}): at most one fetch per ${cooldownMs / 1000} s`,
        );
        severities.push('availability');
      }
      tools.log(`[key-set] cool-down: ${BURST} unknown kids, ${during.length} key-set fetch${during.length === 1 ? '' : 'es'}`);
      finish('key-set-cooldown', started, { expected: first && 'expected' in first ? first.expected : undefined, actual: first && 'actual' in first ? first.actual : undefined }, differences, severities);
    }
  }

  // (b) rotation: a new key in the served set.
  let rotated: { key: Jwk; alg: string } | null = null;
  if ((wanted('key-set-rotation') || wanted('key-set-unavailable')) && !signal.aborted) {
    const pair = await generateKeyPair(algorithm, { extractable: true, ...(algorithm === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
    const privateJwk = (await exportJWK(pair.privateKey)) as Jwk;
    const publicJwk = (await exportJWK(pair.publicKey)) as Jwk;
    rotated = { key: privateJwk, alg: algorithm };
    if (wanted('key-set-rotation')) {
      const kid = freshKid('rotation');
      // TEST key: generated for this run, published only by the CLI's served set.
      served.addKey({ ...publicJwk, kid, alg: algorithm, use: 'sig' });
      tools.log(`[key-set] rotation: added the TEST key ${kid} to the served set`);
      await waitOutCooldown();
      if (!signal.aborted) {
        await expectOneFetch('key-set-rotation', `Bearer ${await token(kid, privateJwk, algorithm)}`, served.keySet(), (fetches) => ({
          log: `rotation: {status}, ${fetches} key-set fetch${fetches === 1 ? '' : 'es'}`,
          difference: `the backend fetched the key set ${fetches}× for the new kid (expected exactly one refetch)`,
          severity: 'availability',
        }));
      }
    }
  }

  // (c) unavailable: the served set answers 503.
  if (wanted('key-set-unavailable') && rotated && !signal.aborted) {
    served.setAvailable(false);
    tools.log('[key-set] unavailable: the served key set now answers 503');
    try {
      await waitOutCooldown();
      if (!signal.aborted) {
        await expectOneFetch('key-set-unavailable', `Bearer ${await token(freshKid('unavailable'), rotated.key, rotated.alg)}`, 'unavailable', (fetches) => ({
          log: `unavailable: {status}, ${fetches} key-set fetch attempt${fetches === 1 ? '' : 's'}`,
          difference: `the backend tried to fetch the key set ${fetches}× for the new kid (expected exactly one attempt)`,
          severity: fetches === 0 ? 'status' : 'availability',
        }));
      }
    } finally {
      served.setAvailable(true);
    }
  }
  return results;
}
