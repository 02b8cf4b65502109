/**
 * GET /api/token: exchanges the Better Auth session for a short-lived API token.
 * (The App Router file app/api/token/route.ts only mounts the handler built here: a route file may export
 * nothing but handlers.)
 *
 * The browser calls this route on the app's own origin (the session cookie goes with it) and sends the
 * token it gets back to the FastAPI backend as `Authorization: Bearer <token>`. The token is an HS256 JWT
 * signed with the UTF-8 bytes of BETTER_AUTH_SECRET, holding exactly the contract's claims:
 *
 *   sub    the Better Auth user id          email  the user's email
 *   iat    issued at (seconds)              exp    iat + 900 (15 minutes; TOKEN_LIFETIME_SECONDS)
 *   iss    AUTH_ISSUER (the app's URL)      aud    AUTH_AUDIENCE (the API's identifier)
 *   role   the user's role, when there is one (admin plugin; "admin,user" for several)
 *
 * Answers:
 *   200 {"token": "<jwt>", "expiresAt": <exp, seconds since the epoch>}
 *   401 {"code": "no_session", ...}          no Better Auth session: sign in
 *   500 {"code": "server_misconfigured", ...} no BETTER_AUTH_SECRET
 * always with `Cache-Control: no-store`. The route sends no CORS headers: only the app's own pages use it.
 */
import { SignJWT } from 'jose';
import { TOKEN_LIFETIME_SECONDS, tokenAudience, tokenIssuer, tokenLifetimeSeconds } from './config';

export { TOKEN_LIFETIME_SECONDS };

/** What the route needs of Better Auth: the session behind a request's cookies. */
export interface SessionReader {
  api: {
    getSession(context: { headers: Headers }): Promise<{ user: { id: string; email: string; role?: string | null } } | null>;
  };
}

export interface TokenRouteOptions {
  /** The Better Auth instance (lib/auth.ts). */
  auth: SessionReader;
  /** Defaults to the BETTER_AUTH_SECRET environment variable. */
  secret?: string;
  /** The `iss` claim; defaults to AUTH_ISSUER, then BETTER_AUTH_URL. Omitted when none is set. */
  issuer?: string;
  /** The `aud` claim; defaults to AUTH_AUDIENCE. Omitted when none is set. */
  audience?: string;
  /** Defaults to TOKEN_LIFETIME_SECONDS from the environment, else 900. */
  lifetimeSeconds?: number;
  /** The clock, in seconds since the epoch (tests move it). */
  now?: () => number;
}

function json(status: number, body: unknown): Response {
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } });
}

/** Builds the route handler; app/api/token/route.ts is this with the app's Better Auth instance. */
export function createTokenRoute(options: TokenRouteOptions): (request: Request) => Promise<Response> {
  const secret = options.secret ?? process.env.BETTER_AUTH_SECRET;
  const issuer = options.issuer ?? tokenIssuer();
  const audience = options.audience ?? tokenAudience();
  const lifetime = options.lifetimeSeconds ?? tokenLifetimeSeconds();
  const now = options.now ?? (() => Date.now() / 1000);

  return async function GET(request: Request): Promise<Response> {
    if (!secret) {
      return json(500, { code: 'server_misconfigured', detail: 'The app has no BETTER_AUTH_SECRET configured.' });
    }

    // The session comes from Better Auth's cookie on this request; no session, no token.
    const session = await options.auth.api.getSession({ headers: request.headers });
    if (!session) {
      return json(401, { code: 'no_session', detail: 'Sign in first: there is no Better Auth session.' });
    }

    const { user } = session;
    const iat = Math.floor(now());
    const exp = iat + lifetime;
    const claims: Record<string, string> = { email: user.email };
    if (typeof user.role === 'string' && user.role !== '') claims.role = user.role;

    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setIssuedAt(iat)
      .setExpirationTime(exp);
    if (issuer) jwt.setIssuer(issuer);
    if (audience) jwt.setAudience(audience);
    // The key is the UTF-8 bytes of the secret, exactly as set: never base64-decoded, never trimmed.
    const token = await jwt.sign(new TextEncoder().encode(secret));

    return json(200, { token, expiresAt: exp });
  };
}
