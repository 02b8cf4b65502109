/**
 * The third way to issue API tokens (contract profile `jwks`, TOKEN_SOURCE=jwt-plugin-jwks): Better Auth's JWT
 * plugin as it ships, with no `jwt.sign` override. It signs with its own key pair (EdDSA / Ed25519 by default),
 * keeps the keys in the `jwks` table (private keys encrypted with BETTER_AUTH_SECRET) and publishes the public
 * ones at GET /api/auth/jwks. The FastAPI backend runs with AUTH_PROFILE=jwks and
 * AUTH_JWKS_URL=<BETTER_AUTH_URL>/api/auth/jwks and never sees BETTER_AUTH_SECRET.
 *
 *   GET /api/auth/token  (session cookie) -> {"token": "<jwt>"}   (401 without a session)
 *   GET /api/auth/jwks                    -> {"keys": [{"alg": "EdDSA", "crv": "Ed25519", "kty": "OKP", "x", "kid"}]}
 *   get-session also answers with the token in its `set-auth-jwt` header; the browser client uses /api/auth/token.
 *
 * Header {"alg": "EdDSA", "kid": "<the jwks row id>"}; payload: iat, email, role (when the user has one),
 * sub (the user id), exp = iat + 15 min, iss, aud. Without `definePayload` the plugin would put the whole user
 * record (name, image, emailVerified, createdAt, ban fields...) in every token.
 *
 * In Better Auth 1.7.25 the first key pair is created on the first GET /api/auth/token or GET /api/auth/jwks
 * (whichever comes first), not at start-up.
 */
import { betterAuth } from 'better-auth';
import { jwt } from 'better-auth/plugins';
import { type AuthSetup, authOptions } from './auth-options';
import { TOKEN_LIFETIME_SECONDS } from './config';

/** What keyPairConfig.alg offers; the FastAPI backend's AUTH_JWT_ALG must be the same. */
export type KeyPairAlgorithm = 'EdDSA' | 'ES256' | 'ES512' | 'RS256' | 'PS256';

export interface JwksJwtOptions {
  /** The `iss` claim (the app's URL). The plugin's default is Better Auth's baseURL. */
  issuer?: string;
  /** The `aud` claim (the API's identifier). The plugin's default is Better Auth's baseURL, which is not the API. */
  audience?: string;
  /** exp = iat + this; default 900 (the plugin's own default, "15m"). */
  lifetimeSeconds?: number;
  /** Default EdDSA (Ed25519), the plugin's default. */
  algorithm?: KeyPairAlgorithm;
  /**
   * Better Auth's key rotation: a key is used for signing this many seconds, then the next token gets a new key.
   * Default: no rotation (the plugin's default).
   */
  rotationInterval?: number;
  /** How long a rotated key stays in /api/auth/jwks after it stopped signing (the plugin's default: 30 days). */
  gracePeriod?: number;
}

/** The contract's payload: only what the API reads. `email` must stay; `role` only when it is a string. */
export function apiTokenPayload({ user }: { user: { email: string; role?: unknown } }): { email: string; role?: string } {
  // With the admin plugin every user has a role ("user" by default). A `role: null` (a user without one) would
  // be an invalid_claim for the API: the contract wants a string or no role claim at all.
  return typeof user.role === 'string' && user.role !== '' ? { email: user.email, role: user.role } : { email: user.email };
}

/** The JWT plugin as it ships: its own key pairs, only issuer, audience, lifetime and payload set. */
export function jwksJwtPlugin(options: JwksJwtOptions = {}) {
  const lifetime = options.lifetimeSeconds ?? TOKEN_LIFETIME_SECONDS;
  const rotation = options.rotationInterval === undefined ? {} : { rotationInterval: options.rotationInterval };
  const grace = options.gracePeriod === undefined ? {} : { gracePeriod: options.gracePeriod };
  const keyPair = options.algorithm === undefined || options.algorithm === 'EdDSA' ? {} : { keyPairConfig: { alg: options.algorithm } };
  return jwt({
    jwks: { ...keyPair, ...rotation, ...grace },
    jwt: {
      issuer: options.issuer,
      audience: options.audience,
      // "15m" is the plugin's default; a duration string (a bare number would be an absolute exp).
      expirationTime: lifetime === TOKEN_LIFETIME_SECONDS ? '15m' : `${lifetime}s`,
      definePayload: apiTokenPayload,
    },
  });
}

/** Better Auth with the same options as lib/auth-options.ts, plus the JWT plugin with its own keys. */
export function createAuthWithJwksPlugin(setup: AuthSetup & JwksJwtOptions) {
  const options = authOptions(setup);
  // Better Auth still needs its secret: it signs the session cookies and encrypts the plugin's private keys.
  // Only the API goes without it.
  if (!options.secret) throw new Error('BETTER_AUTH_SECRET is not set: Better Auth needs it (sessions, and the encryption of the JWT plugin\'s private keys).');
  return betterAuth({
    ...options,
    plugins: [
      ...options.plugins,
      jwksJwtPlugin({
        issuer: setup.issuer ?? process.env.AUTH_ISSUER ?? options.baseURL,
        audience: setup.audience ?? process.env.AUTH_AUDIENCE,
        lifetimeSeconds: setup.lifetimeSeconds,
        algorithm: setup.algorithm,
        rotationInterval: setup.rotationInterval,
        gracePeriod: setup.gracePeriod,
      }),
    ],
  });
}
