/**
 * The Better Auth options shared by the app (lib/auth.ts), both ways of issuing API tokens and the tests.
 * No side effects: importing this module opens no database.
 */
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

/** A Better Auth instance on the given database. lib/auth.ts makes the app's; tests call it with memoryAdapter. */
export function createAuth(setup: AuthSetup) {
  return betterAuth(authOptions(setup));
}

export type Auth = ReturnType<typeof createAuth>;
