/**
 * GET /api/token: the Better Auth session in, a short-lived HS256 API token out.
 * The handler is built in lib/token-route.ts (claims, answers, configuration); a route file may export only
 * route handlers and segment config.
 */
import { getAuth } from '../../../lib/auth';
import { createTokenRoute } from '../../../lib/token-route';

// Every answer depends on the request's session cookie: never prerendered or cached.
export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return createTokenRoute({ auth: getAuth() })(request);
}
