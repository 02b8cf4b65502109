/**
 * Better Auth's own endpoints (POST /api/auth/sign-up/email, POST /api/auth/sign-in/email,
 * GET /api/auth/get-session, POST /api/auth/sign-out, and with TOKEN_SOURCE=jwt-plugin or jwt-plugin-jwks GET /api/auth/token;
 * with jwt-plugin-jwks also GET /api/auth/jwks, the public keys the API verifies with),
 * mounted in the App Router. They create and end the session that the token route exchanges for API tokens.
 */
import { toNextJsHandler } from 'better-auth/next-js';
import { getAuth } from '../../../../lib/auth';

export const dynamic = 'force-dynamic';

export const { GET, POST } = toNextJsHandler((request: Request) => getAuth().handler(request));
