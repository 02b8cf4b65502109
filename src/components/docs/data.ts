/**
 * What the docs components render, computed at build time from the verdict engine: the claims table,
 * the sample token, request/response pairs and code excerpts. Nothing here ships to the browser.
 * Every function refuses to produce something the engine disagrees with, so a change to the contract
 * either flows into the pages or fails the build.
 */
import { type Code, DEFAULT_LIFETIME, OUTCOMES, type Outcome, REQUIRED_CLAIMS } from '../../contract/data/contract.ts';
import { authorizationValues } from '../../contract/verifier/authorization.ts';
import { formatResponse, frontendAction } from '../../contract/verifier/response.ts';
import { EXAMPLE_SCENARIO, SCENARIOS, type Scenario, scenarioByName, scenarioRequest, vectorContext } from '../../contract/scenarios/index.ts';
import { EXAMPLE_AUDIENCE, EXAMPLE_ISSUER, EXAMPLE_USER, TEST_SECRET, VECTOR_NOW } from '../../contract/data/fixtures.ts';
import { contractClaims, signClaims, STANDARD_HEADER } from '../../contract/codec/sign.ts';
import { type Verdict, type VerdictRequest, verdict } from '../../contract/verifier/verify.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildVectors, type VectorsFile } from '../../contract/vectors.ts';

// ---------------------------------------------------------------------------------------------------
// Claims

export type ClaimUse = 'required' | 'recommended' | 'optional';

export interface ClaimSpec {
  name: string;
  use: ClaimUse;
  /** The JSON type the backend accepts, in words. */
  type: string;
  meaning: string;
  /** A value the backend refuses, and the code it answers (issuer and audience configured). */
  refused: { value: unknown; code: Code };
}

/** The sample token's claims: a real user, issued at the vectors' clock, valid for the default lifetime. */
export const SAMPLE_CLAIMS: Record<string, unknown> = contractClaims({
  now: VECTOR_NOW,
  sub: EXAMPLE_USER,
  issuer: EXAMPLE_ISSUER,
  audience: EXAMPLE_AUDIENCE,
});

/** Values shown for the claims the sample token does not carry. */
const EXTRA_EXAMPLES: Record<string, unknown> = { nbf: SAMPLE_CLAIMS.iat, role: 'user,admin' };

export const CLAIMS: readonly ClaimSpec[] = [
  {
    name: 'sub',
    use: 'required',
    type: 'non-empty string',
    meaning: 'The Better Auth user id (`user.id`). Routes scoped to a user compare it with the id in the path.',
    refused: { value: '', code: 'invalid_claim' },
  },
  {
    name: 'email',
    use: 'required',
    type: 'non-empty string',
    meaning: "The user's email address when the token was issued.",
    refused: { value: null, code: 'invalid_claim' },
  },
  {
    name: 'iat',
    use: 'required',
    type: 'NumericDate (finite JSON number, seconds since the epoch)',
    meaning: 'When the token was issued. A value further in the future than the leeway is refused.',
    refused: { value: true, code: 'invalid_claim' },
  },
  {
    name: 'exp',
    use: 'required',
    type: 'NumericDate (finite JSON number, seconds since the epoch)',
    meaning: `When the token stops being accepted: \`iat + ${DEFAULT_LIFETIME}\` by default.`,
    refused: { value: String(VECTOR_NOW + DEFAULT_LIFETIME), code: 'invalid_claim' },
  },
  {
    name: 'iss',
    use: 'recommended',
    type: 'string',
    meaning: 'The Better Auth base URL. Compared exactly when the backend is configured with an issuer.',
    refused: { value: `${EXAMPLE_ISSUER}/`, code: 'wrong_issuer' },
  },
  {
    name: 'aud',
    use: 'recommended',
    type: 'string, or array of strings',
    meaning: "The API's identifier. Must be, or contain, the configured audience when the backend has one.",
    refused: { value: [EXAMPLE_AUDIENCE, 8000], code: 'wrong_audience' },
  },
  {
    name: 'nbf',
    use: 'optional',
    type: 'NumericDate (finite JSON number)',
    meaning: 'Not valid before this time. Rarely needed: `iat` already rules out tokens from the future.',
    refused: { value: 'yesterday', code: 'invalid_claim' },
  },
  {
    name: 'role',
    use: 'optional',
    type: 'string (comma-separated list allowed)',
    meaning: 'Roles for routes that need one, e.g. `"user,admin"` (the Better Auth admin plugin writes roles this way).',
    refused: { value: ['admin'], code: 'invalid_claim' },
  },
];

/** The example value of a claim, as JSON text. */
export function claimExample(name: string): string {
  const value = name in SAMPLE_CLAIMS ? SAMPLE_CLAIMS[name] : EXTRA_EXAMPLES[name];
  if (value === undefined) throw new Error(`no example for claim ${name}`);
  return JSON.stringify(value);
}

/** The claims marked required must be exactly the engine's required claims, in the same order. */
export function checkClaimsAgainstEngine(): void {
  const required = CLAIMS.filter((claim) => claim.use === 'required').map((claim) => claim.name);
  if (required.join(',') !== REQUIRED_CLAIMS.join(',')) {
    throw new Error(`claims table says ${required.join(', ')} are required, the engine says ${REQUIRED_CLAIMS.join(', ')}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// The sample token

export interface SampleToken {
  token: string;
  segments: [string, string, string];
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** The test secret it is signed with (never a real one). */
  secret: string;
  verdict: Verdict;
}

/** A real HS256 token signed by the engine with the test secret, and the engine's verdict on it (200). */
export async function sampleToken(): Promise<SampleToken> {
  const token = await signClaims(SAMPLE_CLAIMS, TEST_SECRET);
  const [header, payload, signature] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined) throw new Error('the signer did not produce a JWS');
  const answer = await verdict({
    authorization: `Bearer ${token}`,
    secret: TEST_SECRET,
    now: VECTOR_NOW,
    issuer: EXAMPLE_ISSUER,
    audience: EXAMPLE_AUDIENCE,
  });
  if (answer.status !== 200) throw new Error(`the sample token is refused: ${answer.code}`);
  return { token, segments: [header, payload, signature], header: { ...STANDARD_HEADER }, payload: SAMPLE_CLAIMS, secret: TEST_SECRET, verdict: answer };
}

// ---------------------------------------------------------------------------------------------------
// Request and response pairs

export interface Exchange {
  scenario: Scenario;
  /** The outcome, or undefined for 200. */
  outcome: Outcome | undefined;
  /** The HTTP request as text (method line, Host, Authorization headers). */
  request: string;
  /** The HTTP response the backend must send, as text. */
  response: string;
  verdict: Verdict;
  /** What the frontend does with the answer. */
  action: string;
  /** True when the backend in this example has no secret configured. */
  noSecret: boolean;
}

/** The example API route a request goes to: the reference backend's routes. */
export function routeFor(request: Pick<VerdictRequest, 'pathUserId' | 'requiredRole'>): string {
  if (request.pathUserId) return `/api/users/${encodeURIComponent(request.pathUserId)}/tasks`;
  if (request.requiredRole) {
    if (request.requiredRole !== 'admin') throw new Error(`no example route needs the role ${request.requiredRole}`);
    return '/api/admin/stats';
  }
  return '/api/me';
}

/** The HTTP request text for a verdict request. */
export function requestText(request: VerdictRequest): string {
  const values = authorizationValues(request.authorization);
  return [`GET ${routeFor(request)} HTTP/1.1`, `Host: ${new URL(EXAMPLE_AUDIENCE).host}`, ...values.map((value) => `Authorization: ${value}`)].join('\n');
}

/** A named scenario as a request and the response the engine says the backend must send. */
export async function exchange(name: string): Promise<Exchange> {
  const scenario = scenarioByName(name);
  if (!scenario) throw new Error(`unknown scenario ${name}`);
  const request = await scenarioRequest(scenario, vectorContext(scenario));
  const answer = await verdict(request);
  if (answer.status !== scenario.expected.status || answer.code !== scenario.expected.code) {
    throw new Error(`scenario ${name}: the engine answers ${answer.status} ${answer.code}, the scenario expects ${scenario.expected.status} ${scenario.expected.code}`);
  }
  return {
    scenario,
    outcome: OUTCOMES.find((outcome) => outcome.code === answer.code),
    request: requestText(request),
    response: formatResponse(answer),
    verdict: answer,
    action: frontendAction(answer).text,
    noSecret: request.secret == null || request.secret === '',
  };
}

/** The scenario the docs use for an outcome code, or for 200 ("ok"). */
export function exampleScenario(code: Code | 'ok'): string {
  return EXAMPLE_SCENARIO[code];
}

/**
 * The scenario the docs show for one outcome (one row of OUTCOMES): the code's example when it fails that
 * very check, else the first scenario failing this check with this code. A code can belong to two rows
 * (server_misconfigured is check `secret` in hs256 and `key-source` in jwks and both), and each row gets its own.
 */
export function outcomeScenario(outcome: Pick<Outcome, 'check' | 'code'>): string {
  const preferred = EXAMPLE_SCENARIO[outcome.code];
  if (scenarioByName(preferred)?.check === outcome.check) return preferred;
  const other = SCENARIOS.find((scenario) => scenario.check === outcome.check && scenario.expected.code === outcome.code);
  if (!other) throw new Error(`no scenario fails check ${outcome.check} with ${outcome.code}`);
  return other.name;
}

// ---------------------------------------------------------------------------------------------------
// Code excerpts

export interface Excerpt {
  text: string;
  /** 1-based first and last line in the file. */
  first: number;
  last: number;
}

/**
 * The lines of a file from the first line that starts with `from` up to (not including) the next line
 * that starts with `to` (or the end), without trailing blank lines. Markers that are not found fail the
 * build, so an excerpt never silently shows the wrong part of a file that changed.
 */
export function excerpt(source: string, from?: string, to?: string): Excerpt {
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  let start = 0;
  if (from !== undefined) {
    start = lines.findIndex((line) => line.startsWith(from));
    if (start < 0) throw new Error(`excerpt: no line starts with ${JSON.stringify(from)}`);
  }
  let end = lines.length;
  if (to !== undefined) {
    const found = lines.findIndex((line, index) => index > start && line.startsWith(to));
    if (found < 0) throw new Error(`excerpt: no line after ${start + 1} starts with ${JSON.stringify(to)}`);
    end = found;
  }
  while (end > start && lines[end - 1]!.trim() === '') end -= 1;
  return { text: lines.slice(start, end).join('\n'), first: start + 1, last: end };
}

// ---------------------------------------------------------------------------------------------------
// The conformance vectors

let vectorsFile: Promise<VectorsFile> | undefined;

/** The vectors as the engine builds them (the same content as public/vectors.json), built once per build. */
export function getVectors(): Promise<VectorsFile> {
  // The published file keeps its randomised (ECDSA, RSA-PSS) signatures, so the docs show the same bytes.
  const published = join(process.cwd(), 'public', 'vectors.json');
  vectorsFile ??= buildVectors(existsSync(published) ? JSON.parse(readFileSync(published, 'utf8')) : undefined);
  return vectorsFile;
}
