/**
 * Property-based checks of the verdict engine, shared by the unit tests (a few thousand cases) and
 * `npm run fuzz` (100,000 and more). Random and mutated tokens, headers and requests must always
 * give exactly one outcome of the contract, with a consistent trace, and never throw.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { OUTCOMES } from '../../src/contract/data/contract.ts';
import { TEST_SECRET, VECTOR_NOW } from '../../src/contract/data/fixtures.ts';
import { contractClaims, signClaims, signSegments } from '../../src/contract/codec/sign.ts';
import { type Evaluation, evaluate } from '../../src/contract/verifier/verify.ts';

/** Throws when an evaluation breaks an invariant of the contract. */
export function assertConsistent(evaluation: Evaluation, request: unknown): void {
  const { verdict } = evaluation;
  const failed = verdict.trace.filter((step) => step.state === 'failed');
  const fail = (why: string) => {
    throw new Error(`${why}\nrequest: ${JSON.stringify(request)?.slice(0, 400)}\nverdict: ${JSON.stringify(verdict).slice(0, 600)}`);
  };
  if (verdict.trace.length !== OUTCOMES.length) fail('trace must list every check');
  verdict.trace.forEach((step, index) => step.order !== index && fail('trace out of order'));
  if (verdict.status === 200) {
    if (verdict.code !== null || verdict.wwwAuthenticate !== null || verdict.body !== null) fail('200 carries no code, header or body');
    if (failed.length !== 0) fail('200 with a failed check');
    if (verdict.trace.some((step) => step.state === 'not-reached')) fail('200 with an unreached check');
    return;
  }
  const outcome = OUTCOMES.find((candidate) => candidate.code === verdict.code);
  if (!outcome) return fail(`unknown code ${verdict.code}`);
  if (verdict.status !== outcome.status) fail('status differs from the table');
  if (verdict.wwwAuthenticate !== outcome.wwwAuthenticate) fail('WWW-Authenticate differs from the table');
  if (!verdict.body || verdict.body.code !== outcome.code || verdict.body.detail !== outcome.detail) fail('body differs from the table');
  if (failed.length !== 1 || failed[0]!.check !== outcome.check) fail('exactly the outcome\'s check must fail');
  if (verdict.check !== outcome.check) fail('the verdict names another check than the one that failed');
  for (const step of verdict.trace) {
    if (step.order < outcome.order && step.state !== 'passed' && step.state !== 'skipped') fail('a check before the failure did not pass');
    if (step.order > outcome.order && step.state !== 'not-reached') fail('a check after the failure was reached');
  }
  // The signature step passes only when an independent HMAC (node:crypto) agrees.
  const signature = verdict.trace.find((step) => step.check === 'signature')!;
  if (signature.state === 'passed' && evaluation.bearer.kind === 'token') {
    const [header, payload, sig] = evaluation.bearer.token.split('.');
    const secret = (request as { secret: string }).secret;
    const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${header}.${payload}`).digest('base64url');
    if (expected !== sig) fail('signature passed but node:crypto disagrees');
  }
}

const secretArb = fc.oneof(fc.constant(TEST_SECRET), fc.string({ minLength: 1, maxLength: 64 }), fc.constant(''), fc.constant(null));
const nowArb = fc.oneof(fc.constant(VECTOR_NOW), fc.integer({ min: 0, max: 4_102_444_800 }), fc.double());

/** Valid tokens for the test secret, then damaged at random. */
const mutatedToken = fc
  .tuple(
    fc.record({ sub: fc.string(), email: fc.string(), extra: fc.jsonValue({ maxDepth: 3 }) }),
    fc.array(fc.tuple(fc.nat(), fc.oneof(fc.constantFrom('.', '=', '+', '/', ' ', '-', '_', 'A', '\t', 'é', '\u0000'), fc.string({ maxLength: 3 }))), { maxLength: 4 }),
    fc.boolean(),
  )
  .map(([claims, edits, remove]) => ({ claims, edits, remove }));

async function applyMutations(input: { claims: Record<string, unknown>; edits: [number, string][]; remove: boolean }): Promise<string> {
  let token = await signClaims({ ...contractClaims({ now: VECTOR_NOW }), ...input.claims }, TEST_SECRET);
  for (const [position, text] of input.edits) {
    const at = position % (token.length + 1);
    token = input.remove ? token.slice(0, at) + text + token.slice(at + 1) : token.slice(0, at) + text + token.slice(at);
  }
  return token;
}

/** Tokens with arbitrary header and payload JSON, correctly signed: exercises every check after 3. */
const signedJson = fc.record({
  header: fc.oneof(
    fc.constant({ alg: 'HS256', typ: 'JWT' }),
    fc.record({ alg: fc.oneof(fc.constant('HS256'), fc.constantFrom('none', 'HS512', 'RS256'), fc.jsonValue()), crit: fc.jsonValue() }, { requiredKeys: ['alg'] }),
    fc.jsonValue({ maxDepth: 2 }),
  ),
  payload: fc.oneof(
    fc.record(
      {
        sub: fc.oneof(fc.string(), fc.jsonValue()),
        email: fc.oneof(fc.string(), fc.jsonValue()),
        iat: fc.oneof(fc.integer({ min: VECTOR_NOW - 2000, max: VECTOR_NOW + 100 }), fc.double(), fc.jsonValue()),
        exp: fc.oneof(fc.integer({ min: VECTOR_NOW - 100, max: VECTOR_NOW + 2000 }), fc.double(), fc.jsonValue()),
        nbf: fc.oneof(fc.integer({ min: VECTOR_NOW - 100, max: VECTOR_NOW + 100 }), fc.jsonValue()),
        iss: fc.oneof(fc.constant('http://localhost:3000'), fc.jsonValue()),
        aud: fc.oneof(fc.constant('http://localhost:8000'), fc.array(fc.oneof(fc.constant('http://localhost:8000'), fc.string())), fc.jsonValue()),
        role: fc.oneof(fc.constantFrom('admin', 'user,admin', 'user'), fc.jsonValue()),
      },
      { requiredKeys: [] },
    ),
    fc.jsonValue({ maxDepth: 3 }),
  ),
  rawNumber: fc.option(fc.constantFrom('1e400', '-1e400', `1${'0'.repeat(400)}`, '1.5e9', '-0'), { nil: undefined }),
});

export const requestArbitrary = fc.oneof(
  // anything at all
  { arbitrary: fc.anything(), weight: 1 },
  // random header values and lists
  { arbitrary: fc.record({
    authorization: fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.array(fc.string(), { maxLength: 3 }), fc.constant(null), fc.jsonValue()),
    secret: secretArb,
    now: nowArb,
    leeway: fc.oneof(fc.constant(30), fc.double(), fc.jsonValue()),
  }), weight: 1 },
  // damaged valid tokens
  { arbitrary: fc.record({
    token: mutatedToken,
    prefix: fc.constantFrom('Bearer ', 'bearer  ', ' Bearer\t', 'Basic ', ''),
    pathUserId: fc.option(fc.string(), { nil: undefined }),
    requiredRole: fc.option(fc.constantFrom('admin', ''), { nil: undefined }),
  }).map((value) => ({ kind: 'mutated' as const, ...value })), weight: 3 },
  // arbitrary JSON, correctly signed
  { arbitrary: fc.record({
    json: signedJson,
    issuer: fc.option(fc.constant('http://localhost:3000'), { nil: undefined }),
    audience: fc.option(fc.constant('http://localhost:8000'), { nil: undefined }),
    pathUserId: fc.option(fc.string({ maxLength: 4 }), { nil: undefined }),
    requiredRole: fc.option(fc.constantFrom('admin', 'user'), { nil: undefined }),
  }).map((value) => ({ kind: 'signed' as const, ...value })), weight: 5 },
);

/** Turns a generated case into a verdict request (minting tokens where the case asks for one). */
export async function materialize(value: unknown): Promise<unknown> {
  if (value && typeof value === 'object' && 'kind' in value) {
    const generated = value as { kind: string } & Record<string, unknown>;
    if (generated.kind === 'mutated') {
      const token = await applyMutations(generated.token as Parameters<typeof applyMutations>[0]);
      return { authorization: `${generated.prefix}${token}`, secret: TEST_SECRET, now: VECTOR_NOW, pathUserId: generated.pathUserId, requiredRole: generated.requiredRole };
    }
    if (generated.kind === 'signed') {
      const { header, payload, rawNumber } = generated.json as { header: unknown; payload: unknown; rawNumber?: string };
      let payloadText = JSON.stringify(payload) ?? 'null';
      if (rawNumber && payload && typeof payload === 'object' && !Array.isArray(payload)) payloadText = payloadText.replace(/^\{/, `{"exp":${rawNumber},`);
      const token = await signSegments(JSON.stringify(header) ?? 'null', payloadText, TEST_SECRET);
      return {
        authorization: `Bearer ${token}`,
        secret: TEST_SECRET,
        now: VECTOR_NOW,
        issuer: generated.issuer,
        audience: generated.audience,
        pathUserId: generated.pathUserId,
        requiredRole: generated.requiredRole,
      };
    }
  }
  return value;
}

/** Runs `runs` random cases; returns how many ran and how the outcomes were spread. */
export async function checkEngine(runs: number, seed?: number): Promise<{ runs: number; byCode: Record<string, number> }> {
  const byCode: Record<string, number> = {};
  await fc.assert(
    fc.asyncProperty(requestArbitrary, async (generated) => {
      const request = await materialize(generated);
      const evaluation = await evaluate(request);
      assertConsistent(evaluation, request);
      const key = evaluation.verdict.code ?? 'ok';
      byCode[key] = (byCode[key] ?? 0) + 1;
    }),
    { numRuns: runs, seed },
  );
  return { runs, byCode };
}

