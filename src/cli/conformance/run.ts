/**
 * The run: a reachability probe, then every selected scenario (the contract's and the CLI's own), then the
 * CORS checks, one request at a time, each with its deadline. The run stops early when --max-time is
 * reached, when it is aborted (Ctrl-C, SIGTERM) or when `giveUpAfter` answers in a row did not arrive; what
 * ran so far is still reported.
 */
import http from 'node:http';
import https from 'node:https';
import { EXAMPLE_USER } from '../../contract/data/fixtures.ts';
import { type Scenario, type ScenarioContext, SCENARIOS, scenarioRequest, vectorContext } from '../../contract/scenarios/index.ts';
import { authorizationValues } from '../../contract/verifier/authorization.ts';
import { type VerdictRequest, evaluate } from '../../contract/verifier/verify.ts';
import { compare, answerOf, expectedOf } from './compare.ts';
import { exposedChallenge, preflight } from './cors.ts';
import { type HttpAnswer, RequestFailure, send, urlFor } from './http.ts';
import { AttackerKeys, HTTP_SCENARIOS, type HttpScenario, KeyUrlWatcher } from './http-scenarios.ts';
import type { ConformanceOptions } from './options.ts';
import type { Progress } from './progress.ts';
import type { Result, Run } from './result.ts';
import { LIFECYCLE_CHECKS, runLifecycle } from './key-set/lifecycle.ts';
import { isKeySetRun, keySetFields, keySetScenarioRequest, profileOf, profileSkip } from './key-set/profile.ts';
import { ServedJwks } from './key-set/served-jwks.ts';

type Route = { path: string } | { skip: string };

const VALID = SCENARIOS.find((scenario) => scenario.name === 'valid') ?? SCENARIOS[0]!;

function routeFor(request: VerdictRequest, options: ConformanceOptions): Route {
  const { pathUserId, requiredRole } = request;
  if (pathUserId && requiredRole) return { skip: 'needs a route scoped to a user that also needs a role' };
  if (pathUserId) {
    if (!options.userPath) return { skip: 'needs a route scoped to a user (--user-path)' };
    return { path: options.userPath.replaceAll('{user_id}', encodeURIComponent(pathUserId)) };
  }
  if (requiredRole) {
    if (!options.rolePath || !options.role) return { skip: `needs a route that requires role "${requiredRole}" (--role-path, --role)` };
    if (options.role !== requiredRole) return { skip: `needs a route that requires role "${requiredRole}" (--role is "${options.role}")` };
    return { path: options.rolePath };
  }
  return { path: options.mePath };
}

function configurationSkip(scenario: Scenario, options: ConformanceOptions): string | null {
  if (scenario.notOverHttp) return `not over HTTP: ${scenario.notOverHttp}`;
  const profileReason = profileSkip(scenario, options);
  if (profileReason) return profileReason;
  const { issuer, audience } = scenario.requires ?? {};
  if (issuer === true && !options.issuer) return 'needs a backend with an issuer (--issuer)';
  if (issuer === false && options.issuer) return 'needs a backend without an issuer';
  if (audience === true && !options.audience) return 'needs a backend with an audience (--audience)';
  if (audience === false && options.audience) return 'needs a backend without an audience';
  return null;
}

const headerValues = (request: VerdictRequest): string[] => authorizationValues(request.authorization);

type Sender = (method: string, path: string, headers: [string, string][]) => Promise<HttpAnswer>;

interface Case {
  name: string;
  title: string;
  kind: Result['kind'];
  check: string | null;
  /** The verdict request to send, or why the case is not applicable. */
  prepare(): Promise<{ request: VerdictRequest; watched?: string } | { skip: string }>;
}

/** Sends a prepared request and compares the answer with the engine's verdict for it. */
async function runCase(item: Case, options: ConformanceOptions, sendOne: Sender): Promise<Result> {
  const started = Date.now();
  const base = { name: item.name, title: item.title, kind: item.kind, check: item.check, differences: [] as string[] };
  const notApplicable = (reason: string): Result => ({ ...base, state: 'not-applicable', reason, ms: Date.now() - started });
  let prepared: Awaited<ReturnType<Case['prepare']>>;
  try {
    prepared = await item.prepare();
  } catch (error) {
    return notApplicable(`could not be minted with this secret (${error instanceof Error ? error.message : String(error)})`);
  }
  // The CLI's own scenarios know their check only once minted.
  base.check = item.check;
  if ('skip' in prepared) return notApplicable(prepared.skip);
  const { request } = prepared;
  // The backend has its own secret and leeway: a scenario that changes them cannot be replayed.
  if (request.secret !== options.secret) return notApplicable('not over HTTP: it changes the backend secret');
  if (request.leeway !== undefined) return notApplicable("not over HTTP: it changes the backend's leeway");
  const route = routeFor(request, options);
  if ('skip' in route) return notApplicable(route.skip);

  const values = headerValues(request);
  const verdict = (await evaluate(request)).verdict;
  const expected = expectedOf(verdict);
  const sent = { method: 'GET', path: route.path, authorizationHeaders: values.length };
  let reply: HttpAnswer;
  try {
    reply = await sendOne(
      'GET',
      route.path,
      values.map((value) => ['Authorization', value]),
    );
  } catch (error) {
    const failure = error as RequestFailure;
    if (failure.kind === 'client-refused') return notApplicable("not over HTTP: Node's HTTP client refuses this header value");
    return { ...base, state: 'no-answer', request: sent, expected, actual: { status: null, failure: failure.message }, differences: [failure.message], ms: Date.now() - started };
  }
  const actual = answerOf(reply);
  const { differences, severity } = compare(expected, actual);
  const result: Result = { ...base, state: severity ? 'mismatched' : 'passed', request: sent, expected, actual, differences, ms: Date.now() - started };
  if (severity) result.severity = severity;
  return result;
}

function contractCase(scenario: Scenario, options: ConformanceOptions, context: (scenario: Scenario) => ScenarioContext): Case {
  return {
    name: scenario.name,
    title: scenario.title,
    kind: 'scenario',
    check: scenario.check,
    prepare: async () => {
      const skip = configurationSkip(scenario, options);
      if (skip) return { skip };
      if (isKeySetRun(options)) return keySetScenarioRequest(scenario, context(scenario), options);
      return { request: await scenarioRequest(scenario, context(scenario)) };
    },
  };
}

function httpOnlyCase(scenario: HttpScenario, options: ConformanceOptions, context: () => ScenarioContext, keys: AttackerKeys, watcher: KeyUrlWatcher | null, watchedPaths: Map<string, string>): Case {
  // The check is the engine's for the minted token; known only once minted.
  const item: Case = {
    name: scenario.name,
    title: scenario.title,
    kind: 'http-only',
    check: null,
    prepare: async () => {
      if (scenario.watches && !watcher) return { skip: 'the CLI could not serve the key URL on 127.0.0.1' };
      const current = context();
      const built = await scenario.build(current, { keys, watcher });
      if (built.watched) watchedPaths.set(scenario.name, built.watched);
      const request: VerdictRequest = { ...keySetFields(options), authorization: built.authorization, secret: current.secret, now: current.now };
      if (current.issuer) request.issuer = current.issuer;
      if (current.audience) request.audience = current.audience;
      item.check = (await evaluate(request)).verdict.check;
      return { request };
    },
  };
  return item;
}

/** A backend that fetched a URL from a token header is a security mismatch, whatever it answered. */
function applyFetches(results: Result[], watcher: KeyUrlWatcher, watchedPaths: Map<string, string>): void {
  for (const result of results) {
    const path = watchedPaths.get(result.name);
    const fetches = path ? (watcher.fetched.get(path) ?? 0) : 0;
    if (!fetches || result.state === 'not-applicable') continue;
    result.state = 'mismatched';
    result.severity = 'security';
    result.differences = [`the backend fetched the URL in the token header (${fetches}×): keys must never come from the token`, ...result.differences];
  }
}

export interface RunControl {
  signal: AbortSignal;
  /** Aborts the run with a reason (used for --max-time and the give-up rule). */
  abort(reason: string): void;
  progress: Progress;
  /** Lines for the user while the run goes on (the served key set's URL and fetches); default stderr. */
  log?: (line: string) => void;
}

export async function runConformance(options: ConformanceOptions, control: RunControl): Promise<Run> {
  const started = Date.now();
  const run: Run = {
    options,
    startedAt: new Date(started).toISOString().replace(/\.\d+Z$/, 'Z'),
    seconds: 0,
    results: [],
    planned: 0,
    abortReason: null,
    fatal: null,
    notes: [],
  };
  const agent = new (options.baseUrl.protocol === 'https:' ? https.Agent : http.Agent)({ keepAlive: true, maxSockets: 1 });
  const deadline = options.maxTimeMs === null ? null : started + options.maxTimeMs;
  const maxTimer = deadline === null ? null : setTimeout(() => control.abort(`--max-time of ${options.maxTimeMs! / 1000} s reached`), options.maxTimeMs!);
  const sendOne: Sender = (method, path, headers) =>
    send(urlFor(options.baseUrl, path), method, headers, {
      agent,
      signal: control.signal,
      deadlineMs: Math.max(1, Math.min(options.timeoutMs, deadline === null ? Infinity : deadline - Date.now())),
    });
  const watcher = new KeyUrlWatcher();
  let watcherUp = false;
  const log = control.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const served = isKeySetRun(options) && options.serveJwks ? new ServedJwks(log) : null;
  try {
    if (served) {
      try {
        const url = await served.start(options.serveJwks!);
        log(`Serving the TEST key set at ${url}: the backend (AUTH_PROFILE=${profileOf(options)}) must be started with AUTH_JWKS_URL=${url}`);
      } catch (error) {
        run.fatal = `cannot serve the key set at ${options.serveJwks!.host}:${options.serveJwks!.port} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
        return run;
      }
    }
    // Any HTTP answer proves the backend is there; no answer ends the run before it starts.
    try {
      await sendOne('GET', options.mePath, []);
    } catch (error) {
      const failure = error as RequestFailure;
      if (failure.kind === 'aborted') run.abortReason = String(control.signal.reason ?? 'aborted');
      else run.fatal = `${failure.message}. Is the backend running, and is --base-url (${options.baseUrl.href}) right?`;
      return run;
    }

    const only = options.only;
    const pick = <T extends { name: string }>(list: readonly T[]) => (only.length ? list.filter((item) => only.includes(item.name)) : list);
    const httpOnly = pick(HTTP_SCENARIOS);
    if (httpOnly.some((scenario) => scenario.watches)) {
      try {
        await watcher.start();
        watcherUp = true;
      } catch {
        run.notes.push('The CLI could not serve key URLs on 127.0.0.1: the jku and x5u scenarios were not run.');
      }
    }
    const keys = new AttackerKeys();
    const watchedPaths = new Map<string, string>();
    // The published vectors' context for the scenario, with this backend's secret, clock and configuration.
    const context = (scenario: Scenario = VALID): ScenarioContext => ({
      ...vectorContext(scenario),
      secret: options.secret,
      now: Math.floor(Date.now() / 1000),
      issuer: options.issuer,
      audience: options.audience,
    });
    const cases: (() => Promise<Result>)[] = [
      ...pick(SCENARIOS).map((scenario) => () => runCase(contractCase(scenario, options, context), options, sendOne)),
      ...httpOnly.map((scenario) => () => runCase(httpOnlyCase(scenario, options, context, keys, watcherUp ? watcher : null, watchedPaths), options, sendOne)),
    ];
    if (!only.length && !options.sameOrigin) {
      const paths = [options.mePath];
      if (options.userPath) paths.push(options.userPath.replaceAll('{user_id}', EXAMPLE_USER));
      if (options.rolePath) paths.push(options.rolePath);
      for (const path of paths) cases.push(() => preflight(path, options, sendOne));
      cases.push(() => exposedChallenge(options, sendOne));
    }
    const lifecycle = served && !options.skipKeySetLifecycle ? LIFECYCLE_CHECKS.filter((check) => !only.length || only.includes(check.name)) : [];
    run.planned = cases.length + lifecycle.length;
    control.progress.start(run.planned);

    let missedInARow = 0;
    for (const next of cases) {
      if (control.signal.aborted) break;
      const result = await next();
      if (control.signal.aborted && result.state === 'no-answer') break;
      run.results.push(result);
      missedInARow = result.state === 'no-answer' ? missedInARow + 1 : result.state === 'not-applicable' ? missedInARow : 0;
      control.progress.update(run.results);
      if (missedInARow >= options.giveUpAfter) {
        control.abort(`gave up: ${missedInARow} answers in a row did not arrive (last: ${(result.actual as { failure?: string }).failure ?? 'no answer'})`);
        break;
      }
    }
    if (served && lifecycle.length && !control.signal.aborted) {
      await runLifecycle(options, {
        served,
        send: sendOne,
        signal: control.signal,
        log,
        only: lifecycle.map((check) => check.name),
        onResult: (result) => {
          run.results.push(result);
          control.progress.update(run.results);
        },
      });
    }
    if (served) {
      const fetches = served.keySetFetches();
      const times = fetches.map((fetch) => `${fetch.at ? new Date(fetch.at).toISOString().slice(11, 19) : '?'} ${fetch.status}`).join(', ');
      run.notes.push(`The CLI served the TEST key set at ${served.url}; the backend fetched it ${fetches.length}×${fetches.length ? ` (UTC: ${times})` : ''}.`);
    }
    if (watcherUp) {
      // A backend may fetch in the background: give it a moment before reading what was fetched.
      await new Promise((resolve) => setTimeout(resolve, 200));
      applyFetches(run.results, watcher, watchedPaths);
    }
    if (control.signal.aborted) run.abortReason = String(control.signal.reason ?? 'aborted');
    return run;
  } finally {
    if (maxTimer) clearTimeout(maxTimer);
    control.progress.stop();
    agent.destroy();
    await watcher.stop();
    await served?.stop();
    run.seconds = (Date.now() - started) / 1000;
  }
}
