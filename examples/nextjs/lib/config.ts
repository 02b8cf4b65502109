/**
 * The app's settings, read from the environment on the server at request time (never inlined at build
 * time, so one `next build` serves any port and any API URL).
 *
 *   TOKEN_SOURCE            "route" (default): the browser gets tokens from GET /api/token (lib/token-route.ts);
 *                           "jwt-plugin": from Better Auth's GET /api/auth/token (lib/auth-jwt-plugin.ts, the HS256
 *                           jwt.sign override);
 *                           "jwt-plugin-jwks": from Better Auth's GET /api/auth/token, the JWT plugin as it ships (EdDSA,
 *                           its own keys, published at GET /api/auth/jwks; lib/auth-jwks-plugin.ts). The API then runs
 *                           with AUTH_PROFILE=jwks and AUTH_JWKS_URL=<BETTER_AUTH_URL>/api/auth/jwks, without the secret.
 *   TOKEN_LIFETIME_SECONDS  the tokens' lifetime, exp = iat + this (default 900, the contract's 15 minutes)
 *   NEXT_PUBLIC_API_URL     the FastAPI backend the browser calls (default http://localhost:8000)
 */

export type TokenSourceName = 'route' | 'jwt-plugin' | 'jwt-plugin-jwks';

export const TOKEN_SOURCES: readonly TokenSourceName[] = ['route', 'jwt-plugin', 'jwt-plugin-jwks'];

/** The contract's default lifetime: exp = iat + 900 (15 minutes). */
export const TOKEN_LIFETIME_SECONDS = 900;

/**
 * process.env[name], looked up at run time. Next.js replaces the literal `process.env.NEXT_PUBLIC_...` with its
 * build-time value; a computed key is left alone.
 */
function env(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

export function tokenSource(): TokenSourceName {
  const value = env('TOKEN_SOURCE') ?? 'route';
  if (!(TOKEN_SOURCES as readonly string[]).includes(value)) throw new Error(`TOKEN_SOURCE must be one of ${TOKEN_SOURCES.map((name) => `"${name}"`).join(', ')}, not "${value}"`);
  return value as TokenSourceName;
}

/** Where the browser fetches its API tokens, on the app's own origin. */
export function tokenUrl(source: TokenSourceName = tokenSource()): string {
  return source === 'route' ? '/api/token' : '/api/auth/token';
}

export function tokenLifetimeSeconds(): number {
  const value = env('TOKEN_LIFETIME_SECONDS');
  if (value === undefined) return TOKEN_LIFETIME_SECONDS;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds <= 0) throw new Error(`TOKEN_LIFETIME_SECONDS must be a whole number of seconds > 0, not "${value}"`);
  return seconds;
}

export function apiUrl(): string {
  return env('NEXT_PUBLIC_API_URL') ?? 'http://localhost:8000';
}

/** The tokens' `iss`: AUTH_ISSUER, else BETTER_AUTH_URL; undefined when neither is set. */
export function tokenIssuer(): string | undefined {
  return env('AUTH_ISSUER') ?? env('BETTER_AUTH_URL');
}

/** The tokens' `aud`: AUTH_AUDIENCE; undefined when not set. */
export function tokenAudience(): string | undefined {
  return env('AUTH_AUDIENCE');
}
