/** The frontend's reaction to each kind of answer (contract v1.1 "Frontend contract"). */

/** What the frontend does with an answer. */
export type FrontendAction = 'none' | 'report' | 'fix-client' | 'get-token' | 'refresh-once' | 'retry-later' | 'do-not-retry';

/** What the frontend should do with each kind of answer, in words. */
export const ACTION_TEXT: Record<FrontendAction, string> = {
  none: 'Nothing: the request succeeded. Keep using the cached token until shortly before it expires.',
  report:
    'Nothing the frontend can fix: the backend is misconfigured. Show a generic error and report it; retrying will not help.',
  'fix-client':
    'A bug in the client: it sent more than one Authorization header. Fix the code that builds the request; do not retry.',
  'get-token':
    'No Bearer token arrived (no Authorization header, another scheme such as Basic, or an empty token). Fetch a token from the Next.js app and retry once with Authorization: Bearer <token>; if the app answers that there is no session, the user signs in. If the request did carry a Bearer token, a proxy or the CORS setup is dropping the header: report it, do not loop.',
  'refresh-once':
    'Fetch a fresh token once and retry the request once. If the app answers that there is no session, the user signs in. If the fresh token is refused too, the problem is configuration or clocks, not the user: show an error and report it; do not send the user to sign in (it would loop).',
  'retry-later':
    'Temporary: the API cannot fetch its key set. Retry later with backoff; do not sign the user out and do not fetch new tokens for it.',
  'do-not-retry':
    'Do not retry and do not refresh: the user is signed in but not allowed. Show a "not allowed" message.',
};
