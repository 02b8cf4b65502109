/**
 * The alternative to the token route: Better Auth's JWT plugin, with its `jwt.sign` override producing the
 * same HS256 token (the plugin itself only signs with key pairs: EdDSA, ES256, ES512, PS256, RS256).
 *
 * The browser then gets its token from Better Auth's own endpoint, GET /api/auth/token ({"token": "<jwt>"},
 * read `exp` from the token), or from the `set-auth-jwt` response header of GET /api/auth/get-session.
 * Same claims as the token route: sub, email, iat, exp = iat + 900, iss, aud, and role when the user has one.
 */
import { betterAuth } from 'better-auth';
import { jwt } from 'better-auth/plugins';
import { SignJWT } from 'jose';
import { type AuthSetup, authOptions } from './auth-options';
import { TOKEN_LIFETIME_SECONDS } from './config';

export interface Hs256JwtOptions {
  /** BETTER_AUTH_SECRET: its UTF-8 bytes are the HMAC key, the same on the FastAPI side. */
  secret: string;
  /** The `iss` claim (the app's URL). Defaults to Better Auth's baseURL. */
  issuer?: string;
  /** The `aud` claim (the API's identifier). Defaults to Better Auth's baseURL. */
  audience?: string;
  /** exp = iat + this; default 900 (15 minutes). */
  lifetimeSeconds?: number;
}

/** The JWT plugin, set up to issue the contract's HS256 tokens. */
export function hs256JwtPlugin(options: Hs256JwtOptions) {
  const key = new TextEncoder().encode(options.secret);
  return jwt({
    jwks: {
      // The plugin refuses `jwt.sign` without a remote JWKS URL, and a remote URL without an asymmetric
      // `keyPairConfig.alg`. Neither is used: an HS256 token has no public key to publish, so /api/auth/jwks
      // answers 404 and no key pair is ever generated. The `.invalid` domain never resolves.
      remoteUrl: 'https://jwks.invalid/hs256-tokens-have-no-public-key',
      keyPairConfig: { alg: 'ES256' },
    },
    jwt: {
      issuer: options.issuer,
      audience: options.audience,
      // A duration string: a bare number would be an absolute `exp`.
      expirationTime: `${options.lifetimeSeconds ?? TOKEN_LIFETIME_SECONDS}s`,
      // Only what the API needs; by default the plugin would put the whole user record in the token.
      definePayload: ({ user }) => {
        const hasRole = typeof user.role === 'string' && user.role !== '';
        return hasRole ? { email: user.email, role: user.role } : { email: user.email };
      },
      // Called with the finished payload: sub (the user id), iat, exp, iss and aud already set.
      async sign(payload) {
        const { sub, email, role, iat, exp, iss, aud } = payload;
        if (typeof sub !== 'string' || typeof email !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') {
          throw new Error('jwt.sign: the payload lacks sub, email, iat or exp');
        }
        const token = new SignJWT(typeof role === 'string' ? { email, role } : { email })
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .setSubject(sub)
          .setIssuedAt(iat)
          .setExpirationTime(exp);
        if (iss) token.setIssuer(iss);
        if (aud) token.setAudience(aud);
        return token.sign(key);
      },
    },
  });
}

/** Better Auth with the same options as lib/auth-options.ts, plus the JWT plugin issuing HS256 tokens. */
export function createAuthWithJwtPlugin(setup: AuthSetup & { issuer?: string; audience?: string; lifetimeSeconds?: number }) {
  const options = authOptions(setup);
  const secret = options.secret;
  if (!secret) throw new Error('BETTER_AUTH_SECRET is not set: the JWT plugin needs it to sign the API tokens.');
  return betterAuth({
    ...options,
    plugins: [
      ...options.plugins,
      hs256JwtPlugin({
        secret,
        issuer: setup.issuer ?? process.env.AUTH_ISSUER,
        audience: setup.audience ?? process.env.AUTH_AUDIENCE,
        lifetimeSeconds: setup.lifetimeSeconds,
      }),
    ],
  });
}
