/**
 * Better Auth, configured for the Next.js app that issues API tokens.
 *
 * Better Auth keeps the session (an HttpOnly cookie on the app's own origin). The API never sees that
 * cookie: the app exchanges the session for a short-lived HS256 token (GET /api/token, lib/token-route.ts,
 * or with TOKEN_SOURCE=jwt-plugin Better Auth's GET /api/auth/token, lib/auth-jwt-plugin.ts), and the browser
 * sends that token to the FastAPI backend. With TOKEN_SOURCE=jwt-plugin-jwks the token is the JWT plugin's own
 * (EdDSA, lib/auth-jwks-plugin.ts) and the backend verifies it with the public keys of GET /api/auth/jwks.
 *
 * Environment:
 *   BETTER_AUTH_SECRET  signs Better Auth's cookies and the API tokens; the FastAPI backend has the same value
 *                       (with TOKEN_SOURCE=jwt-plugin-jwks it encrypts the plugin's private keys and the API has none).
 *                       At least 32 bytes of randomness: `openssl rand -base64 32`.
 *   BETTER_AUTH_URL     the app's base URL, e.g. http://localhost:3000 (also the tokens' issuer by default).
 *   DATABASE_PATH       the SQLite file of the app's instance (default auth.sqlite), on Node's built-in
 *                       node:sqlite (Node 22.13 or later). Create its tables with `npx auth migrate`.
 *   TOKEN_SOURCE        "route" (default), "jwt-plugin" (adds the JWT plugin with its HS256 `jwt.sign` override)
 *                       or "jwt-plugin-jwks" (the JWT plugin as it ships: EdDSA tokens, keys at /api/auth/jwks).
 */
import { DatabaseSync } from 'node:sqlite';
import { type Auth, createAuth } from './auth-options';
import { createAuthWithJwksPlugin } from './auth-jwks-plugin';
import { createAuthWithJwtPlugin } from './auth-jwt-plugin';
import { tokenLifetimeSeconds, tokenSource } from './config';

export { type Auth, type AuthSetup, authOptions, createAuth } from './auth-options';

let appAuth: Auth | undefined;

/** The app's instance, created on first use (so importing this module, e.g. during `next build`, opens no database). */
export function getAuth(): Auth {
  if (!appAuth) {
    const database = new DatabaseSync(process.env.DATABASE_PATH ?? 'auth.sqlite');
    // Both instances have the same API (the plugin only adds /api/auth/token and /api/auth/jwks).
    const source = tokenSource();
    appAuth =
      source === 'jwt-plugin'
        ? (createAuthWithJwtPlugin({ database, lifetimeSeconds: tokenLifetimeSeconds() }) as unknown as Auth)
        : source === 'jwt-plugin-jwks'
          ? (createAuthWithJwksPlugin({ database, lifetimeSeconds: tokenLifetimeSeconds() }) as unknown as Auth)
          : createAuth({ database });
  }
  return appAuth;
}

/**
 * The app's instance as the Better Auth CLI wants it (`npx auth migrate --config lib/auth.ts` reads
 * `export const auth`). A stand-in that creates the instance on first use, with the environment of that moment.
 */
export const auth: Auth = new Proxy({} as Auth, {
  get: (_target, property) => Reflect.get(getAuth(), property),
  has: (_target, property) => Reflect.has(getAuth(), property),
  // The CLI's config loader copies the exported object: let it see the instance's own properties.
  ownKeys: () => Reflect.ownKeys(getAuth()),
  getOwnPropertyDescriptor: (_target, property) => {
    const descriptor = Reflect.getOwnPropertyDescriptor(getAuth(), property);
    return descriptor && { ...descriptor, configurable: true };
  },
});
