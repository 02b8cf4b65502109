/**
 * The conformance vectors: every scenario minted with the test secret at a fixed clock, with its
 * expected answer. Deterministic: the same code always writes the same file (public/vectors.json).
 */
import { type CheckId, CONTRACT_VERSION, DEFAULT_LEEWAY, DEFAULT_PROFILE, OUTCOMES, type Profile, outcomeFor, type Code, type ErrorAttribute, type Status } from './data/contract.ts';
import { SCENARIOS, scenarioRequest, vectorContext } from './scenarios/index.ts';
import { TEST_SECRET, VECTOR_NOW } from './data/fixtures.ts';
import { authorizationValues } from './verifier/authorization.ts';
import type { VerdictRequest } from './verifier/verify.ts';

/** Bump when the vectors change on purpose; the date says when. */
export const VECTORS_REVISION = 2;
export const VECTORS_DATE = '2026-12-02';

export interface Vector {
  name: string;
  title: string;
  why: string;
  request: VerdictRequest;
  expected: { status: Status; code: Code | null; check: CheckId | null; wwwAuthenticate: string | null; error: ErrorAttribute | null };
  /** Present when the vector cannot be replayed against a running backend, with the reason. */
  notOverHttp?: string;
  requires?: { issuer?: boolean; audience?: boolean };
}

export interface VectorsFile {
  contract: string;
  revision: number;
  generated: string;
  description: string;
  secret: string;
  now: number;
  leeway: number;
  outcomes: {
    order: number;
    check: string;
    title: string;
    status: number;
    code: string;
    error: string | null;
    wwwAuthenticate: string | null;
    detail: string;
  }[];
  vectors: Vector[];
}

export function expectedFor(status: Status, code: Code | null, profile: Profile = DEFAULT_PROFILE): Vector['expected'] {
  const outcome = code === null ? undefined : outcomeFor(code, profile);
  return {
    status,
    code,
    check: outcome ? outcome.check : null,
    wwwAuthenticate: outcome ? outcome.wwwAuthenticate : null,
    error: outcome ? outcome.error : null,
  };
}

/** The signing input ("header.payload") of each Authorization value, with the signatures left out. */
function unsigned(request: VerdictRequest): string {
  const values = authorizationValues(request.authorization);
  return JSON.stringify({ ...request, authorization: values.map((value) => value.replace(/\.[^.]*$/, '.')) });
}

/**
 * Every scenario as a vector. ECDSA and RSA-PSS signatures are randomised, so a vector whose request is
 * the same as in `previous` but for its signatures keeps the previous request: the same code then always
 * writes the same file. The tests check that every vector still gets its expected answer.
 */
export async function buildVectors(previous?: Pick<VectorsFile, 'vectors'>): Promise<VectorsFile> {
  const vectors: Vector[] = [];
  const before = new Map((previous?.vectors ?? []).map((vector) => [vector.name, vector.request]));
  for (const scenario of SCENARIOS) {
    let request = await scenarioRequest(scenario, vectorContext(scenario));
    const kept = before.get(scenario.name);
    if (kept && unsigned(kept) === unsigned(request)) request = kept;
    const vector: Vector = {
      name: scenario.name,
      title: scenario.title,
      why: scenario.why,
      request,
      expected: expectedFor(scenario.expected.status, scenario.expected.code, scenario.profile),
    };
    if (scenario.notOverHttp) vector.notOverHttp = scenario.notOverHttp;
    if (scenario.requires) vector.requires = scenario.requires;
    vectors.push(vector);
  }
  return {
    contract: CONTRACT_VERSION,
    revision: VECTORS_REVISION,
    generated: VECTORS_DATE,
    description:
      'Conformance vectors for stateless JWT verification between Better Auth and FastAPI. Each vector is a verdict request (the Authorization header value or values, the profile, the backend secret or key set, the clock, the configuration) and the answer the backend must give. The secret and the keys are TEST SECRETS and TEST KEYS: never use them anywhere real.',
    secret: TEST_SECRET,
    now: VECTOR_NOW,
    leeway: DEFAULT_LEEWAY,
    outcomes: OUTCOMES.map((outcome) => ({
      order: outcome.order,
      check: outcome.check,
      title: outcome.title,
      status: outcome.status,
      code: outcome.code,
      error: outcome.error,
      wwwAuthenticate: outcome.wwwAuthenticate,
      detail: outcome.detail,
    })),
    vectors,
  };
}

export function serializeVectors(file: VectorsFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}
