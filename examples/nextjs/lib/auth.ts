/**
 * Better Auth, configured for the Next.js app that issues API tokens.
 *
 * Better Auth keeps the session (an HttpOnly cookie on the app's own origin). The API never sees that
 * cookie: the app exchanges the session for a short-lived HS256 token at GET /api/token (see
 * app/api/token/route.ts), and the browser sends that token to the FastAPI backend.
 *
 * Environment:
 *   BETTER_AUTH_SECRET  signs Better Auth's cookies and the API tokens; the FastAPI backend has the same value.
 *                       At least 32 bytes of randomness: `openssl rand -base64 32`.
 *   BETTER_AUTH_URL     the app's base URL, e.g. http://localhost:3000 (also the tokens' issuer by default).
 *   DATABASE_PATH       the SQLite file of the app instance below (default auth.sqlite).
 */
import { DatabaseSync } from 'node:sqlite';
import { type BetterAuthOptions, betterAuth } from 'better-auth';
import { admin } from 'better-auth/plugins';

export interface AuthSetup {
  /**
   * Any database Better Auth supports: a SQLite or Postgres connection, a Drizzle/Prisma/Kysely adapter,
   * or memoryAdapter(...) in tests.
   */
  database: BetterAuthOptions['database'];
  /** Defaults to the BETTER_AUTH_SECRET environment variable. */
  secret?: string;
  /** Defaults to the BETTER_AUTH_URL environment variable. */
  baseURL?: string;
}

/** The options shared by both ways of issuing API tokens (the token route and the JWT plugin override). */
export function authOptions(setup: AuthSetup) {
  return {
    secret: setup.secret ?? process.env.BETTER_AUTH_SECRET,
    baseURL: setup.baseURL ?? process.env.BETTER_AUTH_URL,
    database: setup.database,
    emailAndPassword: { enabled: true },
    // The admin plugin gives every user a `role` ("user" unless set otherwise, several roles joined with
    // commas). The token route copies it into the token's `role` claim; the API checks it on admin routes.
    plugins: [admin()],
  } satisfies BetterAuthOptions;
}

/** A Better Auth instance on the given database. The app calls it once (below); tests call it with memoryAdapter. */
export function createAuth(setup: AuthSetup) {
  return betterAuth(authOptions(setup));
}

export type Auth = ReturnType<typeof createAuth>;

let appAuth: Auth | undefined;

/**
 * The app's instance, created on first use. Here on Node's built-in SQLite (Node 22.5 or later);
 * create its tables once with `npx @better-auth/cli migrate`.
 */
export function getAuth(): Auth {
  appAuth ??= createAuth({ database: new DatabaseSync(process.env.DATABASE_PATH ?? 'auth.sqlite') });
  return appAuth;
}
