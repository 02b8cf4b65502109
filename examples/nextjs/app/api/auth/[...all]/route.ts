/**
 * Better Auth's own endpoints (POST /api/auth/sign-up/email, POST /api/auth/sign-in/email,
 * GET /api/auth/get-session, POST /api/auth/sign-out, and with TOKEN_SOURCE=jwt-plugin GET /api/auth/token),
 * mounted in the App Router. They create and end the session that the token route exchanges for API tokens.
 */
import { toNextJsHandler } from 'better-auth/next-js';
import { getAuth } from '../../../../lib/auth';

export const dynamic = 'force-dynamic';

export const { GET, POST } = toNextJsHandler((request: Request) => getAuth().handler(request));
