/**
 * The conformance vectors: every scenario minted with the test secret at a fixed clock, with its
 * expected answer. Deterministic: the same code always writes the same file (public/vectors.json).
 */
import { type CheckId, CONTRACT_VERSION, DEFAULT_LEEWAY, OUTCOMES, type Code, type ErrorAttribute, type Status } from './data/contract.ts';
import { SCENARIOS, scenarioRequest, vectorContext } from './scenarios/index.ts';
import { TEST_SECRET, VECTOR_NOW } from './data/fixtures.ts';
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

export function expectedFor(status: Status, code: Code | null): Vector['expected'] {
  const outcome = OUTCOMES.find((candidate) => candidate.code === code);
  return {
    status,
    code,
    check: outcome ? outcome.check : null,
    wwwAuthenticate: outcome ? outcome.wwwAuthenticate : null,
    error: outcome ? outcome.error : null,
  };
}

export async function buildVectors(): Promise<VectorsFile> {
  const vectors: Vector[] = [];
  for (const scenario of SCENARIOS) {
    const vector: Vector = {
      name: scenario.name,
      title: scenario.title,
      why: scenario.why,
      request: await scenarioRequest(scenario, vectorContext(scenario)),
      expected: expectedFor(scenario.expected.status, scenario.expected.code),
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
      'Conformance vectors for stateless HS256 JWT verification between Better Auth and FastAPI. Each vector is a verdict request (the Authorization header value or values, the backend secret, the clock, the configuration) and the answer the backend must give. The secret is a TEST SECRET: never use it anywhere real.',
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
