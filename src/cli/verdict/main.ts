/**
 * The verdict command (entry: src/cli/verdict.ts; also `node bearer-contract.mjs verdict`).
 *   npm run --silent verdict < request.json        one verdict request, or a JSON array of them, on stdin;
 *                                                   prints the verdict(s) as JSON, with the trace
 *   npm run verdict -- --token <jwt> [options]     a readable report for people
 * Bad arguments print the usage and exit with code 2. The secret is never printed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { DEFAULT_KEY_SET_ALGORITHM, DEFAULT_LEEWAY, KEY_SET_ALGORITHMS, PROFILES, type Profile, keySetAlgorithm } from '../../contract/data/contract.ts';
import { type Evaluation, evaluate } from '../../contract/verifier/verify.ts';
import { formatResponse, frontendAction } from '../../contract/verifier/response.ts';
import { formatRelative, formatUtc } from '../../contract/verifier/time.ts';
import { UsageError, parseFlags } from '../usage.ts';

const USAGE = `Usage:
  npm run --silent verdict < request.json
      Reads one verdict request (or a JSON array of them) on stdin and prints the verdict(s) as JSON.
      Request: {"profile": "hs256" | "jwks" | "both", "authorization": "Bearer <jwt>" | ["...", "..."] | null,
                "secret": "...", "keys": {"keys": [...]} | "unavailable", "algorithm": "EdDSA", "now": <seconds>,
                "leeway": 30, "issuer": "...", "audience": "...", "pathUserId": "...", "requiredRole": "..."}

  npm run verdict -- --token <jwt> [--secret <s>] [options]
      Prints the decoded token, the checks in order and the HTTP response the backend must send.
      --token <jwt>            the token (or use --authorization for a whole header value)
      --authorization <value>  the Authorization header value, e.g. "Bearer eyJ..."
      --profile <p>            hs256 (default), jwks or both
      --secret <s>             BETTER_AUTH_SECRET (hs256, both); defaults to the BETTER_AUTH_SECRET environment variable
      --jwks <file or JSON>    jwks, both: the key set the backend holds (what /api/auth/jwks returned), a file
                               or the JSON itself; "unavailable" when the backend cannot fetch one
      --alg <alg>              jwks, both: the configured algorithm, ${KEY_SET_ALGORITHMS.join(', ')} (default ${DEFAULT_KEY_SET_ALGORITHM})
      --now <time>             seconds since the epoch or an ISO date (default: now)
      --leeway <seconds>       clock leeway (default ${DEFAULT_LEEWAY})
      --issuer <url>           expected iss
      --audience <id>          expected aud
      --user <id>              the route is scoped to this user id
      --role <role>            the route needs this role
      --json                   print the verdict as JSON instead
      -h, --help               this help`;

function parseNow(value: string): number {
  if (/^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw new UsageError(`--now: "${value}" is neither seconds since the epoch nor an ISO date`);
  return parsed / 1000;
}

function parseLeeway(value: string): number {
  const leeway = Number(value);
  if (!Number.isFinite(leeway) || leeway < 0) throw new UsageError(`--leeway: "${value}" is not a non-negative number of seconds`);
  return leeway;
}

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string, text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);
const MARK = { passed: paint('32', '✓'), failed: paint('31', '✗'), skipped: paint('2', '–'), 'not-reached': paint('2', '·') };

function report(evaluation: Evaluation): string {
  const { verdict, decoded, now } = evaluation;
  const out: string[] = [];
  if (decoded) {
    out.push(paint('1', 'Token'));
    for (const segment of decoded.segments.slice(0, 3)) {
      const content = segment.decodedText ?? (segment.bytes ? `${segment.bytes.length} bytes` : '');
      out.push(`  ${(segment.name ?? `segment ${segment.index + 1}`).padEnd(9)} ${content}${segment.problem ? paint('31', `  ← ${segment.problem}`) : ''}`);
    }
    for (const claim of ['iat', 'nbf', 'exp'] as const) {
      const value = decoded.payload?.[claim];
      if (typeof value === 'number' && Number.isFinite(value)) {
        out.push(`  ${claim.padEnd(9)} ${value}  ${formatUtc(value)}  (${formatRelative(value, now)})`);
      }
    }
    out.push('');
  }
  out.push(paint('1', `Checks (now ${formatUtc(now)}, leeway ${evaluation.leeway} s)`));
  for (const step of verdict.trace) {
    out.push(`  ${MARK[step.state]} ${String(step.order).padStart(2)} ${step.title.padEnd(24)} ${step.state === 'not-reached' ? paint('2', 'not reached') : step.message}`);
  }
  out.push('', paint('1', 'Response the backend must send'));
  out.push(...formatResponse(verdict).split('\n').map((line) => `  ${line}`));
  out.push('', paint('1', 'What the frontend does'), `  ${frontendAction(verdict).text}`);
  const notes = [...evaluation.hints, ...evaluation.requestNotes];
  if (notes.length) out.push('', paint('1', 'Hints'), ...notes.map((note) => `  • ${note}`));
  return out.join('\n');
}

async function fromStdin(): Promise<void> {
  let text: string;
  try {
    text = readFileSync(0, 'utf8');
  } catch {
    throw new UsageError('could not read a verdict request from stdin');
  }
  if (text.trim() === '') throw new UsageError('stdin is empty: pipe a verdict request (JSON) into the command, or pass --token');
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`stdin is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const verdicts = Array.isArray(input) ? await Promise.all(input.map(async (request) => (await evaluate(request)).verdict)) : (await evaluate(input)).verdict;
  process.stdout.write(`${JSON.stringify(verdicts, null, 2)}\n`);
}

async function fromFlags(args: string[]): Promise<void> {
  const flags = parseFlags(args, {
    token: { type: 'string' },
    authorization: { type: 'string' },
    profile: { type: 'string' },
    jwks: { type: 'string' },
    alg: { type: 'string' },
    secret: { type: 'string' },
    now: { type: 'string' },
    leeway: { type: 'string' },
    issuer: { type: 'string' },
    audience: { type: 'string' },
    user: { type: 'string' },
    role: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (flags.token === undefined && flags.authorization === undefined) throw new UsageError('give --token <jwt> or --authorization <header value>');
  if (flags.token !== undefined && flags.authorization !== undefined) throw new UsageError('give either --token or --authorization, not both');
  const profile = (flags.profile ?? 'hs256') as Profile;
  if (!PROFILES.includes(profile)) throw new UsageError(`--profile: "${flags.profile}" is not one of ${PROFILES.join(', ')}`);
  const secret = flags.secret ?? (process.env.BETTER_AUTH_SECRET || undefined);
  if (secret === undefined && profile !== 'jwks') throw new UsageError('give --secret <s> or set BETTER_AUTH_SECRET');
  if (flags.jwks === undefined && profile !== 'hs256') throw new UsageError(`--profile ${profile} needs --jwks <file or JSON> (the key set the backend holds)`);
  if (flags.jwks !== undefined && profile === 'hs256') throw new UsageError('--jwks needs --profile jwks or --profile both');
  if (flags.alg !== undefined && keySetAlgorithm(flags.alg) === null) {
    throw new UsageError(`--alg: "${flags.alg}" is not one of ${KEY_SET_ALGORITHMS.join(', ')} (or Ed25519)`);
  }
  const request = {
    profile,
    authorization: flags.authorization ?? `Bearer ${flags.token!.trim()}`,
    secret,
    ...(flags.jwks === undefined ? {} : { keys: readKeySetFlag(flags.jwks), algorithm: flags.alg ?? DEFAULT_KEY_SET_ALGORITHM }),
    now: flags.now === undefined ? Date.now() / 1000 : parseNow(flags.now),
    leeway: flags.leeway === undefined ? DEFAULT_LEEWAY : parseLeeway(flags.leeway),
    issuer: flags.issuer,
    audience: flags.audience,
    pathUserId: flags.user,
    requiredRole: flags.role,
  };
  const evaluation = await evaluate(request);
  process.stdout.write(`${flags.json ? JSON.stringify(evaluation.verdict, null, 2) : report(evaluation)}\n`);
}

/** --jwks: "unavailable", a JSON key set, or a file holding one. */
function readKeySetFlag(value: string): unknown {
  if (value === 'unavailable') return 'unavailable';
  let text = value;
  if (!value.trimStart().startsWith('{')) {
    if (!existsSync(value)) throw new UsageError(`--jwks: "${value.slice(0, 80)}" is neither a JSON key set nor a file`);
    text = readFileSync(value, 'utf8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--jwks: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (parsed === null || typeof parsed !== 'object' || !Array.isArray((parsed as { keys?: unknown }).keys)) {
    throw new UsageError('--jwks: a key set looks like {"keys": [...]}, as /api/auth/jwks returns it');
  }
  return parsed;
}

/** The verdict command; returns the exit code (0, or 2 for bad arguments). */
export async function verdictMain(args: string[]): Promise<number> {
  try {
    await (args.length === 0 ? fromStdin() : fromFlags(args));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`verdict: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}
