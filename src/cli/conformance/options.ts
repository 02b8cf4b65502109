/**
 * The conformance CLI's options: the usage text, the exit codes, and strict parsing and validation of the
 * flags (every mistake is a UsageError, exit code 2, before anything is sent). Output paths and secret
 * files are resolved against the directory the command was started from (npm's INIT_CWD when npm runs it,
 * else the current directory) and checked before the run.
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError, parseFlags } from '../usage.ts';
import { HTTP_SCENARIOS } from './http-scenarios.ts';
import { SCENARIOS } from '../../contract/scenarios/index.ts';
import { KEY_SET_ALGORITHMS, type KeySetAlgorithm, PROFILES, type Profile, keySetAlgorithm } from '../../contract/data/contract.ts';
import { TEST_SECRET } from '../../contract/data/fixtures.ts';
import { LIFECYCLE_CHECKS } from './key-set/lifecycle.ts';
import { type ServeAddress, parseServeAddress } from './key-set/served-jwks.ts';

/** The exit codes, as --help and the conformance page document them. */
export const EXIT = {
  /** Every applicable answer agrees with the contract. */
  agree: 0,
  /** At least one answer differs from the contract's. */
  mismatches: 1,
  /** Wrong options: nothing was sent. */
  usage: 2,
  /** Cannot judge: unreachable, stopped answering, --max-time reached, interrupted, or some answers missing. */
  cannotJudge: 3,
} as const;

/** Bytes of a response body read at most; the rest is not read. */
export const MAX_BODY_BYTES = 64 * 1024;

export const USAGE = `Usage:
  npm run conformance -- --base-url <url> [--secret-env NAME | --secret-file PATH] [options]
  node bearer-contract.mjs conformance --base-url <url> [...]      (the single-file CLI)

  Sends every contract scenario to a running backend and compares its answers with the contract's.

  --base-url <url>       the backend, e.g. http://127.0.0.1:8000 (required)
  --secret-env <name>    read the backend's BETTER_AUTH_SECRET from this environment variable
  --secret-file <path>   read it from a file (one trailing newline is dropped)
  --secret <s>           give it on the command line (visible in ps and shell history; under
                         npm run also in npm's banner). Default: the BETTER_AUTH_SECRET variable.
                         The secret is never printed or written to a report. Use a test secret.
  --profile <p>          the backend's key profile: hs256 (default), jwks or both (with the secret)
  --serve-jwks <host:port>
                         jwks, both (required): serve the TEST key set at
                         http://<host:port>/jwks.json; start the backend with that URL as
                         AUTH_JWKS_URL. jwks needs no secret.
  --alg <alg>            jwks, both: the backend's AUTH_JWT_ALG (default EdDSA; or ES256, ES512,
                         RS256, PS256)
  --skip-key-set-lifecycle
                         jwks, both: skip the key-set cool-down, rotation and unavailable checks
                         (they wait out the backend's 30 s cool-down twice, about 65 s)
  --issuer <url>         the issuer the backend is configured with (AUTH_ISSUER), if any
  --audience <id>        the audience the backend is configured with (AUTH_AUDIENCE), if any
  --me-path <path>       a route that needs any valid token (default /api/me)
  --user-path <path>     a route scoped to a user, with {user_id} where the id goes,
                         e.g. "/api/users/{user_id}/tasks"
  --role-path <path>     a route that needs a role, e.g. /api/admin/stats (give --role too)
  --role <role>          the role --role-path needs (the scenarios use "admin")
  --origin <origin>      the browser origin for the CORS checks (default: --issuer's origin,
                         else http://localhost:3000)
  --same-origin          the API is only called from its own origin: skip the CORS checks
  --scenario <name>      run only this scenario (repeatable; skips the CORS checks)
  --timeout <seconds>    deadline of each request, whole answer included (default 10)
  --max-time <seconds>   deadline of the whole run (default: none)
  --give-up-after <n>    stop when n answers in a row do not arrive (default 3)
  --progress             show progress on stderr even when it is not a terminal
  --no-progress          never show progress (default: shown when stderr is a terminal)
  --format <text|github> github adds workflow annotations and a job summary
                         ($GITHUB_STEP_SUMMARY) to the text report (default text)
  --json <file>          write the full report as JSON
  --junit <file>         write a JUnit XML report (for CI)
  -h, --help             this help

Exit codes: 0 all answers agree, 1 mismatches, 2 bad options, 3 cannot judge (backend unreachable
or stopped answering, --max-time reached, interrupted, or answers missing). The JSON and JUnit
reports are written in every case but 2 (marked partial when the run did not finish).`;

export interface ConformanceOptions {
  baseUrl: URL;
  secret: string;
  issuer: string | null;
  audience: string | null;
  mePath: string;
  userPath: string | null;
  rolePath: string | null;
  role: string | null;
  origin: string;
  sameOrigin: boolean;
  only: string[];
  timeoutMs: number;
  maxTimeMs: number | null;
  giveUpAfter: number;
  progress: 'auto' | 'always' | 'never';
  format: 'text' | 'github';
  /** Absolute paths. */
  json: string | null;
  junit: string | null;
  /** The backend's key profile (absent: hs256). */
  profile?: Profile;
  /** jwks, both: the configured asymmetric algorithm (absent: EdDSA). */
  algorithm?: KeySetAlgorithm;
  /** jwks, both: where the CLI serves the TEST key set. */
  serveJwks?: ServeAddress | null;
  skipKeySetLifecycle?: boolean;
}

/** Where relative paths start: the directory the user ran the command in (npm runs scripts in the package). */
export function startDirectory(env: NodeJS.ProcessEnv): string {
  return env.INIT_CWD || process.cwd();
}

function seconds(name: string, value: string | undefined): number | null {
  if (value === undefined) return null;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new UsageError(`--${name}: "${value}" is not a positive number of seconds`);
  return number * 1000;
}

/** An output file: its folder must exist and be writable, and it must not be a folder itself. */
function outputPath(name: string, value: string | undefined, base: string): string | null {
  if (value === undefined) return null;
  if (value === '') throw new UsageError(`--${name} is empty: give a file name`);
  const path = resolve(base, value);
  const folder = dirname(path);
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    // Reported below.
  }
  if (!isFolder) throw new UsageError(`--${name}: the folder ${folder} does not exist`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new UsageError(`--${name}: the folder ${folder} is not writable`);
  }
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`--${name}: ${path} is a folder; give a file name`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
  }
  return path;
}

/** The secret from exactly one source; its value never appears in a message. */
function secretFrom(flags: { secret?: string; 'secret-env'?: string; 'secret-file'?: string }, env: NodeJS.ProcessEnv, base: string): string {
  const given = (['secret', 'secret-env', 'secret-file'] as const).filter((name) => flags[name] !== undefined);
  if (given.length > 1) throw new UsageError(`give the secret one way only, not ${given.map((name) => `--${name}`).join(' and ')}`);
  let secret: string | undefined;
  let source: string;
  if (flags['secret-env'] !== undefined) {
    const name = flags['secret-env'];
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--secret-env: "${name}" is not an environment variable name`);
    secret = env[name];
    source = `the environment variable ${name}`;
    if (secret === undefined) throw new UsageError(`--secret-env: the environment variable ${name} is not set`);
  } else if (flags['secret-file'] !== undefined) {
    const path = resolve(base, flags['secret-file']);
    source = `the file ${path}`;
    try {
      secret = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      throw new UsageError(`--secret-file: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  } else {
    secret = flags.secret ?? env.BETTER_AUTH_SECRET;
    source = flags.secret !== undefined ? '--secret' : 'BETTER_AUTH_SECRET';
    if (secret === undefined) {
      throw new UsageError('give the backend secret with --secret-env NAME, --secret-file PATH or the BETTER_AUTH_SECRET environment variable');
    }
  }
  if (secret === '') throw new UsageError(`the secret is empty (${source}): give the backend's BETTER_AUTH_SECRET`);
  return secret;
}

export function parseOptions(args: string[], env: NodeJS.ProcessEnv): ConformanceOptions | null {
  const flags = parseFlags(args, {
    'base-url': { type: 'string' },
    secret: { type: 'string' },
    'secret-env': { type: 'string' },
    'secret-file': { type: 'string' },
    issuer: { type: 'string' },
    audience: { type: 'string' },
    'me-path': { type: 'string' },
    'user-path': { type: 'string' },
    'role-path': { type: 'string' },
    role: { type: 'string' },
    origin: { type: 'string' },
    'same-origin': { type: 'boolean' },
    scenario: { type: 'string', multiple: true },
    timeout: { type: 'string' },
    'max-time': { type: 'string' },
    'give-up-after': { type: 'string' },
    progress: { type: 'boolean' },
    'no-progress': { type: 'boolean' },
    format: { type: 'string' },
    json: { type: 'string' },
    junit: { type: 'string' },
    profile: { type: 'string' },
    'serve-jwks': { type: 'string' },
    alg: { type: 'string' },
    'skip-key-set-lifecycle': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) return null;
  const base = startDirectory(env);

  if (!flags['base-url']) throw new UsageError('--base-url is required, e.g. --base-url http://127.0.0.1:8000');
  let baseUrl: URL;
  try {
    baseUrl = new URL(flags['base-url']);
  } catch {
    throw new UsageError(`--base-url: "${flags['base-url']}" is not a URL (e.g. http://127.0.0.1:8000)`);
  }
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') throw new UsageError(`--base-url: use an http:// or https:// URL, not ${baseUrl.protocol}`);
  if (baseUrl.search || baseUrl.hash) throw new UsageError('--base-url: give the backend root without a query or fragment');
  if (baseUrl.username || baseUrl.password) throw new UsageError('--base-url: give the URL without a user name or password');

  const profile = (flags.profile ?? 'hs256') as Profile;
  if (!PROFILES.includes(profile)) throw new UsageError(`--profile: "${flags.profile}" is not ${PROFILES.join(', ')}`);
  const keySetRun = profile !== 'hs256';
  if (!keySetRun) {
    for (const name of ['serve-jwks', 'alg', 'skip-key-set-lifecycle'] as const) {
      if (flags[name] !== undefined) throw new UsageError(`--${name} is for a backend of the jwks or both profile: give --profile jwks or --profile both`);
    }
  }
  let serveJwks: ServeAddress | null = null;
  if (keySetRun) {
    if (flags['serve-jwks'] === undefined) throw new UsageError(`--profile ${profile} needs --serve-jwks <host:port> (the CLI serves the TEST key set there; start the backend with AUTH_JWKS_URL=http://<host:port>/jwks.json)`);
    serveJwks = parseServeAddress(flags['serve-jwks']);
    if (!serveJwks) throw new UsageError(`--serve-jwks: "${flags['serve-jwks']}" is not host:port, e.g. 127.0.0.1:8200`);
  }
  let algorithm: KeySetAlgorithm | undefined;
  if (flags.alg !== undefined) {
    algorithm = keySetAlgorithm(flags.alg) ?? undefined;
    if (!algorithm) throw new UsageError(`--alg: "${flags.alg}" is not one of ${KEY_SET_ALGORITHMS.join(', ')}`);
  }
  // jwks: the backend has no secret; hs256 tokens are still minted (with the TEST secret) to see them refused.
  const secretGiven = flags.secret !== undefined || flags['secret-env'] !== undefined || flags['secret-file'] !== undefined;
  const secret = profile === 'jwks' && !secretGiven ? TEST_SECRET : secretFrom(flags, env, base);

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
      const parsed = new URL(issuer);
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') origin = parsed.origin;
    } catch {
      // An issuer that is not a URL: keep the default origin.
    }
  }
  if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new UsageError(`--origin: "${origin}" is not an origin like http://localhost:3000`);
  if (flags['same-origin'] && flags.origin !== undefined) throw new UsageError('--same-origin skips the CORS checks: leave out --origin');

  const timeoutMs = seconds('timeout', flags.timeout) ?? 10_000;
  const maxTimeMs = seconds('max-time', flags['max-time']);
  let giveUpAfter = 3;
  if (flags['give-up-after'] !== undefined) {
    giveUpAfter = Number(flags['give-up-after']);
    if (!Number.isInteger(giveUpAfter) || giveUpAfter < 1) throw new UsageError(`--give-up-after: "${flags['give-up-after']}" is not a positive whole number`);
  }
  if (flags.progress && flags['no-progress']) throw new UsageError('give --progress or --no-progress, not both');
  const format = flags.format ?? 'text';
  if (format !== 'text' && format !== 'github') throw new UsageError(`--format: "${format}" is not text or github (JSON and JUnit: --json, --junit)`);

  const only = flags.scenario ?? [];
  const known = new Set([...SCENARIOS.map((scenario) => scenario.name), ...HTTP_SCENARIOS.map((scenario) => scenario.name), ...(keySetRun ? LIFECYCLE_CHECKS.map((check) => check.name) : [])]);
  const unknown = only.filter((name) => !known.has(name));
  if (unknown.length) throw new UsageError(`--scenario: no scenario named ${unknown.map((name) => `"${name}"`).join(', ')}`);

  const json = outputPath('json', flags.json, base);
  const junit = outputPath('junit', flags.junit, base);
  if (json !== null && json === junit) throw new UsageError('--json and --junit name the same file');

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
    sameOrigin: flags['same-origin'] ?? false,
    only,
    timeoutMs,
    maxTimeMs,
    giveUpAfter,
    progress: flags.progress ? 'always' : flags['no-progress'] ? 'never' : 'auto',
    format,
    json,
    junit,
    ...(keySetRun ? { profile, algorithm: algorithm ?? 'EdDSA', serveJwks, skipKeySetLifecycle: flags['skip-key-set-lifecycle'] ?? false } : {}),
  };
}
