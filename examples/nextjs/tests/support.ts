/**
 * Shared by the example tests: a real Better Auth instance on an in-memory database, users signed up and
 * signed in through Better Auth's own API, and the session cookie they get back.
 */
import { memoryAdapter } from 'better-auth/adapters/memory';
import { EXAMPLE_AUDIENCE, EXAMPLE_ISSUER, TEST_SECRET } from '../../../src/contract/data/fixtures.ts';
import { evaluate } from '../../../src/contract/verifier/verify.ts';

/** Test configuration only: never use these values anywhere real. */
export const TEST_CONFIG = {
  secret: TEST_SECRET,
  baseURL: EXAMPLE_ISSUER,
  issuer: EXAMPLE_ISSUER,
  audience: EXAMPLE_AUDIENCE,
} as const;

export const PASSWORD = 'correct horse battery staple';

/** A fresh in-memory database with the tables Better Auth (and its JWT plugin) use. */
export function memoryDatabase() {
  return memoryAdapter({ user: [], session: [], account: [], verification: [], jwks: [] });
}

/** The `Cookie` header a browser would send back, from a Better Auth response's Set-Cookie headers. */
export function cookieFrom(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((line) => line.split(';')[0]!)
    .join('; ');
}

type SignUpEmail = (input: {
  body: { email: string; password: string; name: string };
  returnHeaders: true;
}) => Promise<{ headers: Headers; response: { user: { id: string } } }>;
type SignInEmail = (input: { body: { email: string; password: string }; returnHeaders: true }) => Promise<{ headers: Headers }>;

/** What the helpers need of a Better Auth instance (both example configurations have it). */
export interface SignsIn {
  api: { signUpEmail: SignUpEmail; signInEmail: SignInEmail };
}

/** Signs a user up, then in (as a browser would), and returns the user id and the session cookie. */
export async function signedInUser(auth: SignsIn, email: string, name = 'Ada Lovelace'): Promise<{ id: string; cookie: string }> {
  const signUp = await auth.api.signUpEmail({ body: { email, password: PASSWORD, name }, returnHeaders: true });
  const signIn = await auth.api.signInEmail({ body: { email, password: PASSWORD }, returnHeaders: true });
  const cookie = cookieFrom(signIn.headers);
  if (!cookie.includes('session_token=')) throw new Error('Better Auth set no session cookie on sign-in');
  return { id: signUp.response.user.id, cookie };
}

/** Decodes a JWT's header and payload (no verification: the engine does that). */
export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
  return { header, payload };
}

/** The verdict engine's answer for a token, configured like the example backend. */
export async function verdictFor(token: string, extra: { pathUserId?: string; requiredRole?: string; secret?: string } = {}) {
  const { verdict } = await evaluate({
    authorization: `Bearer ${token}`,
    secret: extra.secret ?? TEST_CONFIG.secret,
    now: Date.now() / 1000,
    issuer: TEST_CONFIG.issuer,
    audience: TEST_CONFIG.audience,
    pathUserId: extra.pathUserId,
    requiredRole: extra.requiredRole,
  });
  return verdict;
}
