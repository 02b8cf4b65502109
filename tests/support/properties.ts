/**
 * Property-based checks of the verdict engine, shared by the unit tests (a few thousand cases) and
 * `npm run fuzz` (100,000 and more). Random and mutated tokens, headers and requests must always
 * give exactly one outcome of the contract, with a consistent trace, and never throw.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { DEFAULT_PROFILE, KEY_SET_ALGORITHMS, PROFILES, type Profile, checkNumber, checksFor, outcomeFor, type Code } from '../../src/contract/data/contract.ts';
import { TEST_SECRET, VECTOR_NOW } from '../../src/contract/data/fixtures.ts';
import { TEST_JWKS, TEST_KID, testSigningKey } from '../../src/contract/data/test-key-set.ts';
import { encodeBase64urlText } from '../../src/contract/codec/base64url.ts';
import { contractClaims, signClaims, signInputWithKey, signSegments } from '../../src/contract/codec/sign.ts';
import { type Evaluation, evaluate } from '../../src/contract/verifier/verify.ts';

/** Throws when an evaluation breaks an invariant of the contract. */
export function assertConsistent(evaluation: Evaluation, request: unknown): void {
  const { verdict } = evaluation;
  const failed = verdict.trace.filter((step) => step.state === 'failed');
  const fail = (why: string) => {
    throw new Error(`${why}\nrequest: ${JSON.stringify(request)?.slice(0, 400)}\nverdict: ${JSON.stringify(verdict).slice(0, 600)}`);
  };
  const asked = (request as { profile?: unknown } | null)?.profile;
  const profile: Profile = typeof asked === 'string' && (PROFILES as readonly string[]).includes(asked) ? (asked as Profile) : DEFAULT_PROFILE;
  const checks = checksFor(profile).map((outcome) => outcome.check);
  if (verdict.trace.map((step) => step.check).join() !== checks.join()) fail(`trace must list every check of the ${profile} profile, in order`);
  verdict.trace.forEach((step) => step.order !== checkNumber(step.check) && fail('trace numbers differ from the contract'));
  if (verdict.status === 200) {
    if (verdict.code !== null || verdict.wwwAuthenticate !== null || verdict.body !== null) fail('200 carries no code, header or body');
    if (failed.length !== 0) fail('200 with a failed check');
    if (verdict.trace.some((step) => step.state === 'not-reached')) fail('200 with an unreached check');
    return;
  }
  let outcome;
  try {
    outcome = outcomeFor(verdict.code as Code, profile);
  } catch {
    return fail(`unknown code ${verdict.code}`);
  }
  if (verdict.status !== outcome.status) fail('status differs from the table');
  if (verdict.wwwAuthenticate !== outcome.wwwAuthenticate) fail('WWW-Authenticate differs from the table');
  if (!verdict.body || verdict.body.code !== outcome.code || verdict.body.detail !== outcome.detail) fail('body differs from the table');
  if (failed.length !== 1 || failed[0]!.check !== outcome.check) fail('exactly the outcome\'s check must fail');
  if (verdict.check !== outcome.check) fail('the verdict names another check than the one that failed');
  if (outcome.check === 'key' && profile === 'hs256') fail('the key check ran in the hs256 profile');
  for (const step of verdict.trace) {
    if (step.order < outcome.order && step.state !== 'passed' && step.state !== 'skipped') fail('a check before the failure did not pass');
    if (step.order > outcome.order && step.state !== 'not-reached') fail('a check after the failure was reached');
  }
  // The signature step passes only when an independent HMAC (node:crypto) agrees.
  const signature = verdict.trace.find((step) => step.check === 'signature')!;
  if (signature.state === 'passed' && evaluation.bearer.kind === 'token' && evaluation.decoded?.header?.alg === 'HS256') {
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

/** Key-set tokens: arbitrary headers (alg, kid, embedded keys, crit) and payloads, signed with a test key. */
const KIDS = Object.values(TEST_KID);
const keySetJson = fc.record({
  header: fc.oneof(
    { arbitrary: fc.record({ alg: fc.constantFrom('EdDSA', 'Ed25519'), kid: fc.constant(TEST_KID.eddsa) }), weight: 3 },
    fc.record(
    {
      alg: fc.oneof({ arbitrary: fc.constant('EdDSA'), weight: 6 }, fc.constantFrom('Ed25519', 'ES256', 'RS256', 'HS256', 'none'), fc.jsonValue()),
      kid: fc.oneof({ arbitrary: fc.constant(TEST_KID.eddsa), weight: 6 }, fc.constantFrom(...KIDS), fc.string({ maxLength: 8 }), fc.jsonValue()),
      jwk: fc.jsonValue({ maxDepth: 2 }),
      jku: fc.webUrl(),
      crit: fc.jsonValue(),
    },
    { requiredKeys: ['alg'] },
    ),
  ),
  payload: fc.oneof(
    {
      arbitrary: fc.record(
        { extra: fc.jsonValue({ maxDepth: 2 }), role: fc.constantFrom('admin', 'user'), exp: fc.integer({ min: VECTOR_NOW - 600, max: VECTOR_NOW + 900 }) },
        { requiredKeys: [] },
      ),
      weight: 4,
    },
    fc.record({ sub: fc.string(), email: fc.string(), extra: fc.jsonValue({ maxDepth: 2 }) }),
    fc.jsonValue({ maxDepth: 2 }),
  ),
  signKid: fc.oneof({ arbitrary: fc.constant(TEST_KID.eddsa), weight: 6 }, fc.constantFrom(...KIDS)),
});

/** A hostile key set: the test set, unavailable, absent, or keys of any shape. */
const keysArb = fc.oneof(
  { arbitrary: fc.constant(TEST_JWKS), weight: 4 },
  { arbitrary: fc.constant('unavailable'), weight: 1 },
  { arbitrary: fc.constant(null), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
  {
    arbitrary: fc.record({
      keys: fc.array(
        fc.oneof(
          fc.record({ kty: fc.constantFrom('OKP', 'EC', 'RSA', 'oct'), crv: fc.constantFrom('Ed25519', 'P-256', 'X25519'), kid: fc.constantFrom(...KIDS), x: fc.string(), n: fc.string(), e: fc.string(), use: fc.jsonValue(), key_ops: fc.jsonValue(), alg: fc.jsonValue() }, { requiredKeys: ['kid'] }),
          fc.constantFrom(...TEST_JWKS.keys),
          fc.jsonValue(),
        ),
        { maxLength: 6 },
      ),
    }),
    weight: 2,
  },
);

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
  // the key-set profiles: arbitrary key-set tokens against hostile key sets and configurations
  { arbitrary: fc.record({
    json: keySetJson,
    profile: fc.oneof({ arbitrary: fc.constantFrom('jwks', 'both'), weight: 8 }, fc.jsonValue()),
    keys: keysArb,
    algorithm: fc.oneof({ arbitrary: fc.constant('EdDSA'), weight: 6 }, fc.constantFrom(...KEY_SET_ALGORITHMS, 'Ed25519'), fc.string({ maxLength: 6 }), fc.jsonValue()),
    secret: fc.oneof({ arbitrary: fc.constant(TEST_SECRET), weight: 6 }, secretArb),
    pathUserId: fc.option(fc.constantFrom('user_123', 'user_456'), { nil: undefined }),
    requiredRole: fc.option(fc.constant('admin'), { nil: undefined }),
  }).map((value) => ({ kind: 'key-set' as const, ...value })), weight: 4 },
);

/** Turns a generated case into a verdict request (minting tokens where the case asks for one). */
export async function materialize(value: unknown): Promise<unknown> {
  if (value && typeof value === 'object' && 'kind' in value) {
    const generated = value as { kind: string } & Record<string, unknown>;
    if (generated.kind === 'mutated') {
      const token = await applyMutations(generated.token as Parameters<typeof applyMutations>[0]);
      return { authorization: `${generated.prefix}${token}`, secret: TEST_SECRET, now: VECTOR_NOW, pathUserId: generated.pathUserId, requiredRole: generated.requiredRole };
    }
    if (generated.kind === 'key-set') {
      const { header, payload, signKid } = generated.json as { header: Record<string, unknown>; payload: unknown; signKid: string };
      const claims = payload && typeof payload === 'object' && !Array.isArray(payload) ? { ...contractClaims({ now: VECTOR_NOW }), ...payload } : payload;
      const signer = testSigningKey(signKid);
      const input = `${encodeBase64urlText(JSON.stringify(header))}.${encodeBase64urlText(JSON.stringify(claims) ?? 'null')}`;
      const token = header.alg === 'HS256' ? (await signSegments(JSON.stringify(header), JSON.stringify(claims) ?? 'null', TEST_SECRET)) : await signInputWithKey(input, signer.key, signer.alg);
      return {
        authorization: `Bearer ${token}`,
        profile: generated.profile,
        keys: generated.keys,
        algorithm: generated.algorithm,
        secret: generated.secret,
        now: VECTOR_NOW,
        pathUserId: generated.pathUserId,
        requiredRole: generated.requiredRole,
      };
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

