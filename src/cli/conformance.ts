/**
 * The conformance run: replays every named scenario against a running backend over real HTTP and compares
 * each answer with the verdict engine's for the same request.
 *
 *   npm run conformance -- --base-url http://127.0.0.1:8000 --secret <s> [options]
 *
 * Each scenario is minted with the current time and the backend's secret, sent with node:http (duplicate
 * Authorization headers go out as separate header lines, which fetch cannot do), and compared on status,
 * presence of WWW-Authenticate, its `error` attribute and the JSON body's `code`. Every route also gets a
 * CORS preflight, which must not be answered 401 or 403.
 *
 * Exit codes: 0 everything agreed, 1 at least one mismatch, 2 wrong options or the backend is unreachable.
 * Neither the secret nor the tokens minted with it are printed or written to the reports.
 */
import { writeFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { resolve } from 'node:path';
import { type CheckId, CONTRACT_VERSION, type Status } from '../contract/data/contract.ts';
import { type Scenario, type ScenarioContext, SCENARIOS, scenarioRequest } from '../contract/scenarios/index.ts';
import { EXAMPLE_USER } from '../contract/data/fixtures.ts';
import { type VerdictRequest, evaluate } from '../contract/verifier/verify.ts';
import { UsageError, parseFlags } from './usage.ts';

const USAGE = `Usage:
  npm run conformance -- --base-url <url> --secret <s> [options]

  Sends every contract scenario to a running backend and compares its answers with the contract's.

  --base-url <url>      the backend, e.g. http://127.0.0.1:8000 (required)
  --secret <s>          the backend's BETTER_AUTH_SECRET; or set the BETTER_AUTH_SECRET environment variable
                        (better: it keeps the secret out of your shell history). Use a test secret.
  --issuer <url>        the issuer the backend is configured with (AUTH_ISSUER), if any
  --audience <id>       the audience the backend is configured with (AUTH_AUDIENCE), if any
  --me-path <path>      a route that needs any valid token (default /api/me)
  --user-path <path>    a route scoped to a user, with {user_id} where the id goes,
                        e.g. "/api/users/{user_id}/tasks"
  --role-path <path>    a route that needs a role, e.g. /api/admin/stats (give --role too)
  --role <role>         the role --role-path needs (the scenarios use "admin")
  --origin <origin>     Origin of the CORS preflight (default: --issuer, else http://localhost:3000)
  --scenario <name>     run only this scenario (repeatable)
  --timeout <seconds>   per request (default 10)
  --json <file>         write the full report as JSON
  --junit <file>        write a JUnit XML report (for CI)
  -h, --help            this help

Exit codes: 0 all answers agree, 1 mismatches, 2 bad options or backend unreachable.`;

class UnreachableError extends Error {}

interface ConformanceOptions {
  baseUrl: URL;
  secret: string;
  issuer: string | null;
  audience: string | null;
  mePath: string;
  userPath: string | null;
  rolePath: string | null;
  role: string | null;
  origin: string;
  only: string[];
  timeoutMs: number;
  json: string | null;
  junit: string | null;
}

/** What an answer says, reduced to what the contract fixes. */
interface Answer {
  status: number;
  /** Whether a WWW-Authenticate header was sent. */
  challenge: boolean;
  /** The scheme of the challenge, e.g. "Bearer". */
  scheme: string | null;
  /** Its `error` attribute, e.g. "invalid_token". */
  error: string | null;
  /** The `code` of the JSON body. */
  code: string | null;
}

type State = 'passed' | 'mismatched' | 'not-applicable';

interface Result {
  name: string;
  title: string;
  kind: 'scenario' | 'preflight';
  /** The id of the contract check that must fail, null for a 200 (and for preflights). */
  check: CheckId | null;
  state: State;
  /** Why it was not applicable. */
  reason?: string;
  request?: { method: string; path: string; authorizationHeaders: number };
  expected?: Answer | { notStatus: number[] };
  actual?: Answer | { status: null; failure: string };
  differences: string[];
  ms: number;
}

// ----- options -----

function parseOptions(args: string[], env: NodeJS.ProcessEnv): ConformanceOptions | null {
  const flags = parseFlags(args, {
    'base-url': { type: 'string' },
    secret: { type: 'string' },
    issuer: { type: 'string' },
    audience: { type: 'string' },
    'me-path': { type: 'string' },
    'user-path': { type: 'string' },
    'role-path': { type: 'string' },
    role: { type: 'string' },
    origin: { type: 'string' },
    scenario: { type: 'string', multiple: true },
    timeout: { type: 'string' },
    json: { type: 'string' },
    junit: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) return null;

  if (!flags['base-url']) throw new UsageError('--base-url is required, e.g. --base-url http://127.0.0.1:8000');
  let baseUrl: URL;
  try {
    baseUrl = new URL(flags['base-url']);
  } catch {
    throw new UsageError(`--base-url: "${flags['base-url']}" is not a URL (e.g. http://127.0.0.1:8000)`);
  }
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') throw new UsageError(`--base-url: use an http:// or https:// URL, not ${baseUrl.protocol}`);
  if (baseUrl.search || baseUrl.hash) throw new UsageError('--base-url: give the backend root without a query or fragment');

  const secret = flags.secret ?? env.BETTER_AUTH_SECRET;
  if (secret === undefined) throw new UsageError('give the backend secret with --secret or the BETTER_AUTH_SECRET environment variable');
  if (secret === '') throw new UsageError('the secret is empty: give the backend secret with --secret or BETTER_AUTH_SECRET');

  const path = (name: string, value: string | undefined): string | null => {
    if (value === undefined) return null;
    if (!value.startsWith('/')) throw new UsageError(`--${name}: "${value}" must start with /`);
    if (/[\s?#]/.test(value)) throw new UsageError(`--${name}: "${value}" must be a plain path (no spaces, query or fragment)`);
    return value;
  };
  const userPath = path('user-path', flags['user-path']);
  if (userPath !== null && !userPath.includes('{user_id}')) {
    throw new UsageError(`--user-path: "${userPath}" has no {user_id} placeholder, e.g. /api/users/{user_id}/tasks`);
  }
  const rolePath = path('role-path', flags['role-path']);
  const role = flags.role ?? null;
  if (rolePath !== null && !role) throw new UsageError('--role-path needs --role (the role that route requires, e.g. --role admin)');
  if (role !== null && rolePath === null) throw new UsageError('--role needs --role-path (the route that requires it)');

  const optionalText = (name: string, value: string | undefined): string | null => {
    if (value === undefined) return null;
    if (value === '') throw new UsageError(`--${name} is empty: leave it out when the backend has none configured`);
    return value;
  };
  const issuer = optionalText('issuer', flags.issuer);
  const audience = optionalText('audience', flags.audience);

  let origin = flags.origin ?? 'http://localhost:3000';
  if (flags.origin === undefined && issuer) {
    try {
      origin = new URL(issuer).origin;
    } catch {
      // An issuer that is not a URL: keep the default origin.
    }
  }
  if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new UsageError(`--origin: "${origin}" is not an origin like http://localhost:3000`);

  let timeoutMs = 10_000;
  if (flags.timeout !== undefined) {
    const seconds = Number(flags.timeout);
    if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--timeout: "${flags.timeout}" is not a positive number of seconds`);
    timeoutMs = seconds * 1000;
  }

  const only = flags.scenario ?? [];
  const unknown = only.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
  if (unknown.length) throw new UsageError(`--scenario: no scenario named ${unknown.map((name) => `"${name}"`).join(', ')}`);

  return {
    baseUrl,
    secret,
    issuer,
    audience,
    mePath: path('me-path', flags['me-path']) ?? '/api/me',
    userPath,
    rolePath,
    role,
    origin,
    only,
    timeoutMs,
    json: flags.json ?? null,
    junit: flags.junit ?? null,
  };
}

// ----- HTTP -----

interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  distinct: NodeJS.Dict<string[]>;
  body: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'CONNECT_TIMEOUT']);

class RequestFailure extends Error {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined) {
    super(message);
    this.code = code;
  }
}

function urlFor(options: ConformanceOptions, path: string): URL {
  const prefix = options.baseUrl.pathname.replace(/\/+$/, '');
  return new URL(`${prefix}${path}`, options.baseUrl.origin);
}

/** One request with exactly these header lines (several lines may share a name). */
function send(options: ConformanceOptions, agent: http.Agent, method: string, path: string, headerLines: [string, string][]): Promise<HttpAnswer> {
  const url = urlFor(options, path);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolvePromise, reject) => {
    let request: http.ClientRequest;
    try {
      request = transport.request(url, { method, agent, headers: { Accept: 'application/json' } });
      const grouped = new Map<string, string[]>();
      for (const [name, value] of headerLines) grouped.set(name, [...(grouped.get(name) ?? []), value]);
      // An array makes node:http write one header line per value.
      for (const [name, values] of grouped) request.setHeader(name, values.length === 1 ? values[0]! : values);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      reject(new RequestFailure(`node:http refuses the request (${code ?? String(error)})`, code === 'ERR_INVALID_CHAR' ? 'ERR_INVALID_CHAR' : code));
      return;
    }
    request.setTimeout(options.timeoutMs, () => request.destroy(Object.assign(new Error(`no answer within ${options.timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
    request.on('error', (error: NodeJS.ErrnoException) => reject(new RequestFailure(error.code ? `${error.code}: ${error.message}` : error.message, error.code)));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= 256 * 1024) chunks.push(chunk);
      });
      response.on('error', (error: NodeJS.ErrnoException) => reject(new RequestFailure(error.message, error.code)));
      response.on('end', () =>
        resolvePromise({
          status: response.statusCode ?? 0,
          headers: response.headers,
          distinct: response.headersDistinct,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    request.end();
  });
}

// ----- comparing -----

function challengeError(value: string | null): string | null {
  return value?.match(/(?:^|[\s,])error\s*=\s*"?([^",\s]*)"?/i)?.[1] ?? null;
}

function answerOf(reply: HttpAnswer): Answer {
  const challenges = reply.distinct['www-authenticate'] ?? [];
  const joined = challenges.length ? challenges.join(', ') : null;
  let code: string | null = null;
  try {
    const body: unknown = JSON.parse(reply.body);
    if (body && typeof body === 'object' && typeof (body as { code?: unknown }).code === 'string') code = (body as { code: string }).code;
  } catch {
    // Not JSON: code stays null.
  }
  return {
    status: reply.status,
    challenge: joined !== null,
    scheme: joined?.trim().split(/\s+/)[0] ?? null,
    error: challengeError(joined),
    code,
  };
}

function expectedOf(verdict: { status: Status; code: string | null; wwwAuthenticate: string | null }): Answer {
  return {
    status: verdict.status,
    challenge: verdict.wwwAuthenticate !== null,
    scheme: verdict.wwwAuthenticate === null ? null : 'Bearer',
    error: challengeError(verdict.wwwAuthenticate),
    code: verdict.code,
  };
}

function differences(expected: Answer, actual: Answer): string[] {
  const found: string[] = [];
  if (expected.status !== actual.status) found.push(`status ${actual.status} instead of ${expected.status}`);
  if (expected.challenge && !actual.challenge) found.push('no WWW-Authenticate header');
  if (!expected.challenge && actual.challenge) found.push('a WWW-Authenticate header where none belongs');
  if (expected.challenge && actual.challenge) {
    if (actual.scheme?.toLowerCase() !== 'bearer') found.push(`WWW-Authenticate scheme ${actual.scheme ?? '(none)'} instead of Bearer`);
    if (expected.error !== actual.error) {
      found.push(expected.error ? `WWW-Authenticate error=${actual.error ?? '(none)'} instead of ${expected.error}` : `WWW-Authenticate has error=${actual.error} where none belongs`);
    }
  }
  if (expected.code !== null && expected.code !== actual.code) found.push(actual.code ? `code ${actual.code} instead of ${expected.code}` : `no JSON "code" (expected ${expected.code})`);
  return found;
}

function describeAnswer(answer: Answer | { status: null; failure: string } | { notStatus: number[] } | undefined): string {
  if (!answer) return '';
  if ('notStatus' in answer) return `anything but ${answer.notStatus.join('/')}`;
  if (answer.status === null) return `no answer (${answer.failure})`;
  const parts = [String(answer.status)];
  if (answer.code) parts.push(answer.code);
  if (answer.challenge) parts.push(answer.error ? `error="${answer.error}"` : 'challenge without error');
  else if (answer.status !== 200) parts.push('no challenge');
  return parts.join(' ');
}

// ----- scenarios -----

type Route = { path: string } | { skip: string };

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
  const { issuer, audience } = scenario.requires ?? {};
  if (issuer === true && !options.issuer) return 'needs a backend with an issuer (--issuer)';
  if (issuer === false && options.issuer) return 'needs a backend without an issuer';
  if (audience === true && !options.audience) return 'needs a backend with an audience (--audience)';
  if (audience === false && options.audience) return 'needs a backend without an audience';
  return null;
}

function headerValues(request: VerdictRequest): string[] {
  const value = request.authorization;
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

async function runScenario(scenario: Scenario, options: ConformanceOptions, agent: http.Agent): Promise<Result> {
  const started = Date.now();
  const base = { name: scenario.name, title: scenario.title, kind: 'scenario' as const, check: scenario.check, differences: [] as string[] };
  const notApplicable = (reason: string): Result => ({ ...base, state: 'not-applicable', reason, ms: Date.now() - started });

  const skip = configurationSkip(scenario, options);
  if (skip) return notApplicable(skip);

  const context: ScenarioContext = { secret: options.secret, now: Math.floor(Date.now() / 1000), issuer: options.issuer, audience: options.audience };
  let request: VerdictRequest;
  try {
    request = await scenarioRequest(scenario, context);
  } catch (error) {
    return notApplicable(`could not be minted with this secret (${error instanceof Error ? error.message : String(error)})`);
  }
  // The backend has its own secret and leeway: a scenario that changes them cannot be replayed.
  if (request.secret !== options.secret) return notApplicable('not over HTTP: it changes the backend secret');
  if (request.leeway !== undefined) return notApplicable("not over HTTP: it changes the backend's leeway");

  const route = routeFor(request, options);
  if ('skip' in route) return notApplicable(route.skip);

  const values = headerValues(request);
  const expected = expectedOf((await evaluate(request)).verdict);
  const sent = { method: 'GET', path: route.path, authorizationHeaders: values.length };
  let reply: HttpAnswer;
  try {
    reply = await send(
      options,
      agent,
      'GET',
      route.path,
      values.map((value) => ['Authorization', value]),
    );
  } catch (error) {
    const failure = error as RequestFailure;
    if (failure.code === 'ERR_INVALID_CHAR') return notApplicable("not over HTTP: Node's HTTP client refuses this header value");
    return {
      ...base,
      state: 'mismatched',
      request: sent,
      expected,
      actual: { status: null, failure: failure.message },
      differences: [`no answer: ${failure.message}`],
      ms: Date.now() - started,
    };
  }
  const actual = answerOf(reply);
  const found = differences(expected, actual);
  return { ...base, state: found.length ? 'mismatched' : 'passed', request: sent, expected, actual, differences: found, ms: Date.now() - started };
}

/** A CORS preflight must be answered before any authentication: never 401 or 403. */
async function runPreflight(path: string, options: ConformanceOptions, agent: http.Agent, warnings: string[]): Promise<Result> {
  const started = Date.now();
  const base = { name: `preflight ${path}`, title: `CORS preflight of GET ${path}`, kind: 'preflight' as const, check: null };
  const sent = { method: 'OPTIONS', path, authorizationHeaders: 0 };
  const expected = { notStatus: [401, 403] };
  let reply: HttpAnswer;
  try {
    reply = await send(options, agent, 'OPTIONS', path, [
      ['Origin', options.origin],
      ['Access-Control-Request-Method', 'GET'],
      ['Access-Control-Request-Headers', 'authorization'],
    ]);
  } catch (error) {
    const message = (error as Error).message;
    return { ...base, state: 'mismatched', request: sent, expected, actual: { status: null, failure: message }, differences: [`no answer: ${message}`], ms: Date.now() - started };
  }
  const actual = answerOf(reply);
  if (reply.status === 401 || reply.status === 403) {
    return {
      ...base,
      state: 'mismatched',
      request: sent,
      expected,
      actual,
      differences: [`the preflight was answered ${reply.status}: authentication runs before CORS, so browsers block every call`],
      ms: Date.now() - started,
    };
  }
  if (reply.status < 200 || reply.status >= 300) {
    warnings.push(`The preflight of ${path} from ${options.origin} got ${reply.status}: browsers on that origin cannot call the route (is the origin allowed?).`);
  } else {
    const allowed = String(reply.headers['access-control-allow-headers'] ?? '').toLowerCase();
    if (!/(^|[\s,])(authorization|\*)($|[\s,])/.test(allowed)) {
      warnings.push(`The preflight of ${path} does not allow the Authorization header (Access-Control-Allow-Headers: ${allowed || 'absent'}).`);
    }
  }
  return { ...base, state: 'passed', request: sent, expected, actual, differences: [], ms: Date.now() - started };
}

/** A cross-origin 401 must expose WWW-Authenticate, or the browser client cannot see error="invalid_token". */
async function checkExposedChallenge(options: ConformanceOptions, agent: http.Agent, warnings: string[]): Promise<void> {
  try {
    const reply = await send(options, agent, 'GET', options.mePath, [['Origin', options.origin]]);
    const allowOrigin = reply.headers['access-control-allow-origin'];
    const exposed = String(reply.headers['access-control-expose-headers'] ?? '').toLowerCase();
    if (allowOrigin && !/(^|[\s,])(www-authenticate|\*)($|[\s,])/.test(exposed)) {
      warnings.push(
        `A cross-origin 401 from ${options.mePath} does not send Access-Control-Expose-Headers: WWW-Authenticate, so browser code cannot read error="invalid_token" (fine if the API is served from the app's own origin).`,
      );
    }
  } catch {
    // Reachability is checked elsewhere.
  }
}

// ----- reports -----

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string, text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);

function cell(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

function mismatchTable(results: Result[]): string {
  const rows = results.filter((result) => result.state === 'mismatched');
  if (!rows.length) return '';
  const nameWidth = Math.min(40, Math.max(8, ...rows.map((row) => row.name.length)));
  const width = Math.min(56, Math.max(8, ...rows.map((row) => describeAnswer(row.expected).length)));
  const lines = [paint('1', `Mismatches (${rows.length})`), `  ${cell('scenario', nameWidth)}  ${cell('expected', width)}  got`];
  for (const row of rows) {
    lines.push(`  ${paint('31', cell(row.name, nameWidth))}  ${cell(describeAnswer(row.expected), width)}  ${describeAnswer(row.actual)}`);
    const where = row.request ? `${row.request.method} ${row.request.path}` : '';
    lines.push(paint('2', `  ${' '.repeat(nameWidth)}  ${row.title}${where ? ` (${where})` : ''}: ${row.differences.join('; ')}`));
  }
  return lines.join('\n');
}

function notApplicableSummary(results: Result[]): string {
  const byReason = new Map<string, string[]>();
  for (const result of results) {
    if (result.state !== 'not-applicable') continue;
    byReason.set(result.reason!, [...(byReason.get(result.reason!) ?? []), result.name]);
  }
  if (!byReason.size) return '';
  const lines = [paint('1', 'Not applicable')];
  for (const [reason, names] of byReason) lines.push(`  ${String(names.length).padStart(3)}  ${reason}: ${paint('2', names.join(', '))}`);
  return lines.join('\n');
}

/** Likely causes, when the plain valid token is refused. */
function hints(results: Result[]): string[] {
  const valid = results.find((result) => result.name === 'valid');
  const code = valid?.actual && 'code' in valid.actual ? valid.actual.code : null;
  const advice: Record<string, string> = {
    bad_signature: 'The backend refuses a correctly signed token as bad_signature: is the secret the backend\'s BETTER_AUTH_SECRET, byte for byte?',
    wrong_issuer: 'The backend checks an issuer: give it with --issuer (the backend\'s AUTH_ISSUER).',
    wrong_audience: 'The backend checks an audience: give it with --audience (the backend\'s AUTH_AUDIENCE).',
  };
  return code && advice[code] ? [advice[code]] : [];
}

function summaryOf(results: Result[]) {
  const count = (state: State) => results.filter((result) => result.state === state).length;
  return { passed: count('passed'), mismatched: count('mismatched'), notApplicable: count('not-applicable'), total: results.length };
}

const xml = (text: string) =>
  text
    .replace(/[^\t\n\r\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

function junitReport(results: Result[], seconds: number, startedAt: string): string {
  const summary = summaryOf(results);
  const cases = results.map((result) => {
    const classname = result.kind === 'preflight' ? 'conformance.cors' : `conformance.${result.check ?? 'accepted'}`;
    const open = `    <testcase classname="${classname}" name="${xml(`${result.name}: ${result.title}`)}" time="${(result.ms / 1000).toFixed(3)}"`;
    if (result.state === 'passed') return `${open}/>`;
    if (result.state === 'not-applicable') return `${open}>\n      <skipped message="${xml(result.reason ?? '')}"/>\n    </testcase>`;
    const message = `expected ${describeAnswer(result.expected)}, got ${describeAnswer(result.actual)}`;
    return `${open}>\n      <failure type="mismatch" message="${xml(message)}">${xml(result.differences.join('\n'))}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="bearer contract ${CONTRACT_VERSION} conformance" tests="${summary.total}" failures="${summary.mismatched}" skipped="${summary.notApplicable}" time="${seconds.toFixed(3)}">`,
    `  <testsuite name="conformance" tests="${summary.total}" failures="${summary.mismatched}" skipped="${summary.notApplicable}" errors="0" time="${seconds.toFixed(3)}" timestamp="${startedAt}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function write(path: string, text: string): void {
  try {
    writeFileSync(resolve(path), text);
  } catch (error) {
    throw new UsageError(`could not write ${path}: ${(error as Error).message}`);
  }
}

// ----- main -----

async function runConformance(options: ConformanceOptions): Promise<number> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString().replace(/\.\d+Z$/, 'Z');
  const agent = new (options.baseUrl.protocol === 'https:' ? https.Agent : http.Agent)({ keepAlive: true, maxSockets: 1 });
  try {
    // Any HTTP answer proves the backend is there; no answer ends the run before it starts.
    try {
      await send(options, agent, 'GET', options.mePath, []);
    } catch (error) {
      const failure = error as RequestFailure;
      const why = failure.code && NETWORK_CODES.has(failure.code) ? failure.code : failure.message;
      throw new UnreachableError(`cannot reach the backend at ${options.baseUrl.href} (${why}). Is it running, and is --base-url right?`);
    }

    const results: Result[] = [];
    const selected = options.only.length ? SCENARIOS.filter((scenario) => options.only.includes(scenario.name)) : SCENARIOS;
    for (const scenario of selected) results.push(await runScenario(scenario, options, agent));

    const warnings: string[] = [];
    if (!options.only.length) {
      const paths = [options.mePath];
      if (options.userPath) paths.push(options.userPath.replaceAll('{user_id}', EXAMPLE_USER));
      if (options.rolePath) paths.push(options.rolePath);
      for (const path of paths) results.push(await runPreflight(path, options, agent, warnings));
      await checkExposedChallenge(options, agent, warnings);
    }

    const seconds = (Date.now() - started) / 1000;
    const summary = summaryOf(results);
    const out: string[] = [
      `Conformance of ${options.baseUrl.href} to the bearer contract ${CONTRACT_VERSION}`,
      `  issuer ${options.issuer ?? '(not checked)'}, audience ${options.audience ?? '(not checked)'}, routes ${[options.mePath, options.userPath, options.rolePath && `${options.rolePath} (role ${options.role})`].filter(Boolean).join(', ')}`,
      '',
    ];
    for (const block of [mismatchTable(results), notApplicableSummary(results)]) if (block) out.push(block, '');
    const notes = [...hints(results), ...warnings];
    if (notes.length) out.push(paint('1', 'Notes'), ...notes.map((note) => `  • ${note}`), '');
    const line = `${summary.passed} passed, ${summary.mismatched} mismatched, ${summary.notApplicable} not applicable (${seconds.toFixed(1)} s)`;
    out.push(summary.mismatched ? paint('31', `✗ ${line}`) : paint('32', `✓ ${line}`));
    process.stdout.write(`${out.join('\n')}\n`);

    if (options.json) {
      const report = {
        tool: 'bearer-contract conformance',
        contractVersion: CONTRACT_VERSION,
        startedAt,
        seconds,
        backend: options.baseUrl.href,
        configuration: {
          issuer: options.issuer,
          audience: options.audience,
          mePath: options.mePath,
          userPath: options.userPath,
          rolePath: options.rolePath,
          role: options.role,
          origin: options.origin,
        },
        summary,
        warnings,
        results,
      };
      write(options.json, `${JSON.stringify(report, null, 2)}\n`);
    }
    if (options.junit) write(options.junit, junitReport(results, seconds, startedAt));
    return summary.mismatched ? 1 : 0;
  } finally {
    agent.destroy();
  }
}

async function main(args: string[]): Promise<number> {
  try {
    const options = parseOptions(args, process.env);
    if (!options) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    return await runConformance(options);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`conformance: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof UnreachableError) {
      process.stderr.write(`conformance: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
