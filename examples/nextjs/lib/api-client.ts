/**
 * A small browser client for the FastAPI backend (the contract's frontend rules, v1.1).
 *
 * - Gets its token from the Next.js app (GET /api/token, or Better Auth's /api/auth/token) and keeps it in
 *   memory only: never in localStorage, sessionStorage or a cookie, so a page reload simply fetches a new one.
 * - Sends exactly one `Authorization: Bearer <token>` header on every call.
 * - Fetches a new token 60 s before `exp`.
 * - After a 401 with error="invalid_token" (or a 401 without an error attribute: missing_token) it fetches a
 *   fresh token once and retries once. If the retry is refused too, the problem is configuration or clocks
 *   (a secret, issuer or audience that differs between the app and the API, a proxy or CORS setup dropping
 *   the header): it throws a ConfigurationError to show and report, and never sends the user to sign in,
 *   which would loop.
 * - Sign-in is decided by the Next.js app: only a token source answering "no session" means "sign in".
 * - Never retries a 403 (signed in, not allowed); a 503 keys_unavailable is temporary (retry later).
 * - Fails with an ApiError whose `kind` tells the UI what to do.
 *
 * Cross-origin APIs: a browser lets this code read WWW-Authenticate only if the API sends
 * `Access-Control-Expose-Headers: WWW-Authenticate` (the FastAPI example does). Without it every 401
 * looks like one without an error attribute; the client still retries only once, then reports.
 */

/** Fetch a new token this many seconds before it expires. */
export const REFRESH_BEFORE_EXPIRY = 60;

/** What the token source hands out. */
export interface IssuedToken {
  token: string;
  /** The token's `exp`, in seconds since the epoch. */
  expiresAt: number;
}

/** Returns a fresh token, or null when there is no session (the user must sign in). */
export type TokenSource = () => Promise<IssuedToken | null>;

/**
 * What the UI does with a failed call:
 *   sign-in        the token source says there is no session: send the user to sign in
 *   configuration  the API refused a freshly issued token (or never got the header): show a configuration
 *                  error and report it; do not send the user to sign in (ConfigurationError)
 *   forbidden      403: signed in but not allowed; show "not allowed", do not retry
 *   bad-request    400: a bug in the request (e.g. two Authorization headers); do not retry
 *   unavailable    503 (keys_unavailable): temporary; retry later with backoff, keep the user signed in
 *   server         other 5xx from the API, or a failing token route: show a generic error, report it
 *   network        the request did not get an answer (offline, DNS, CORS refused)
 *   http           any other status (404, 409, 422...): the route's own error
 */
export type ApiErrorKind = 'sign-in' | 'configuration' | 'forbidden' | 'bad-request' | 'unavailable' | 'server' | 'network' | 'http';

export interface ApiErrorDetails {
  /** The parsed JSON body of the API's answer, when there is one. */
  body?: unknown;
  /** The WWW-Authenticate header, when the browser could read it. */
  challenge?: string | null;
}

export class ApiError extends Error {
  override readonly name: string = 'ApiError';
  readonly kind: ApiErrorKind;
  /** The HTTP status, when there was an answer. */
  readonly status: number | null;
  /** The contract's `code` from the JSON body (e.g. "token_expired"), when there is one. */
  readonly code: string | null;
  /** The JSON body of the answer, when there is one. */
  readonly body: unknown;
  /** The WWW-Authenticate challenge of the answer, when there is one (and CORS exposes it). */
  readonly challenge: string | null;

  constructor(kind: ApiErrorKind, message: string, status: number | null = null, code: string | null = null, details: ApiErrorDetails = {}) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.body = details.body ?? null;
    this.challenge = details.challenge ?? null;
  }
}

/**
 * The API refused a token the app had just issued (or never received the Authorization header), after one
 * refresh and one retry. Not the user's fault and not fixed by signing in again: the app and the API disagree
 * on the secret, issuer, audience or clock, or something between them drops the header. Show it, report it.
 */
export class ConfigurationError extends ApiError {
  override readonly name = 'ConfigurationError';
  constructor(message: string, status: number | null, code: string | null, details: ApiErrorDetails = {}) {
    super('configuration', message, status, code, details);
  }
}

/** The `error` attribute of a WWW-Authenticate challenge, e.g. "invalid_token"; null when there is none. */
export function challengeError(wwwAuthenticate: string | null): string | null {
  const match = wwwAuthenticate?.match(/(?:^|[\s,])error\s*=\s*"?([^",\s]*)"?/i);
  return match?.[1] ?? null;
}

/** The `exp` claim of a JWT, read without verifying it (verifying is the API's job). */
export function tokenExpiry(token: string): number | null {
  try {
    const payload = token.split('.')[1] ?? '';
    const text = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const bytes = Uint8Array.from(text, (char) => char.charCodeAt(0));
    const exp: unknown = JSON.parse(new TextDecoder().decode(bytes)).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp : null;
  } catch {
    return null;
  }
}

/**
 * The token source for the Next.js token route: GET `url` with the session cookie.
 * Reads {"token", "expiresAt"}; for Better Auth's own /api/auth/token ({"token"} only) it reads `exp` from the token.
 */
export function tokenFromRoute(url = '/api/token', fetchImpl: typeof fetch = fetch): TokenSource {
  return async () => {
    let response: Response;
    try {
      response = await fetchImpl(url, { credentials: 'same-origin', cache: 'no-store' });
    } catch (error) {
      throw new ApiError('network', `Could not reach the token route ${url}: ${String(error)}`);
    }
    if (response.status === 401) return null;
    if (!response.ok) throw new ApiError('server', `The token route ${url} answered ${response.status}`, response.status);
    const body = (await response.json()) as { token?: unknown; expiresAt?: unknown };
    if (typeof body.token !== 'string') throw new ApiError('server', `The token route ${url} sent no token`, response.status);
    const expiresAt = typeof body.expiresAt === 'number' ? body.expiresAt : tokenExpiry(body.token);
    if (expiresAt === null) throw new ApiError('server', `The token from ${url} has no exp`, response.status);
    return { token: body.token, expiresAt };
  };
}

export interface ApiClientOptions {
  /** The API's origin, e.g. "https://api.example.com". Paths are resolved against it. */
  baseUrl: string;
  /** Where tokens come from (default: the Next.js token route). */
  getToken?: TokenSource;
  fetch?: typeof fetch;
  /** The clock, in milliseconds since the epoch. */
  now?: () => number;
}

export interface ApiClient {
  /** Calls the API and returns the response of a successful (2xx) call; throws ApiError otherwise. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** request() and the JSON body. */
  json<T = unknown>(path: string, init?: RequestInit): Promise<T>;
  /** Forgets the cached token (call it on sign-out). */
  clearToken(): void;
}

/** The JSON body (read from a clone, so the caller can still read the response) and its `code`. */
async function answerOf(response: Response): Promise<{ body: unknown; code: string | null; challenge: string | null }> {
  const challenge = response.headers.get('WWW-Authenticate');
  try {
    const body: unknown = await response.clone().json();
    const code = body && typeof body === 'object' && typeof (body as { code?: unknown }).code === 'string' ? (body as { code: string }).code : null;
    return { body, code, challenge };
  } catch {
    return { body: null, code: null, challenge };
  }
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const fetchImpl = options.fetch ?? fetch;
  const getToken = options.getToken ?? tokenFromRoute('/api/token', fetchImpl);
  const nowSeconds = () => (options.now ?? Date.now)() / 1000;

  let cached: IssuedToken | null = null;
  // Concurrent calls share one token request.
  let pending: Promise<IssuedToken | null> | null = null;

  function fetchToken(): Promise<IssuedToken | null> {
    pending ??= getToken()
      .then((issued) => (cached = issued))
      .finally(() => (pending = null));
    return pending;
  }

  /** The cached token while it has more than REFRESH_BEFORE_EXPIRY seconds left, else a new one. */
  async function currentToken(): Promise<string> {
    const fresh = cached && nowSeconds() < cached.expiresAt - REFRESH_BEFORE_EXPIRY ? cached : await fetchToken();
    if (!fresh) throw new ApiError('sign-in', 'There is no session: sign in.');
    return fresh.token;
  }

  async function send(path: string, init: RequestInit, token: string): Promise<Response> {
    const headers = new Headers(init.headers);
    // set() replaces any Authorization the caller passed: exactly one header goes out.
    headers.set('Authorization', `Bearer ${token}`);
    try {
      return await fetchImpl(new URL(path, options.baseUrl), { ...init, headers });
    } catch (error) {
      throw new ApiError('network', `No answer from ${options.baseUrl}: ${String(error)}`);
    }
  }

  async function request(path: string, init: RequestInit = {}): Promise<Response> {
    const token = await currentToken();
    let response = await send(path, init, token);
    let retried = false;

    const challenge = challengeError(response.headers.get('WWW-Authenticate'));
    if (response.status === 401 && (challenge === 'invalid_token' || challenge === null)) {
      // invalid_token: the API refused this token (expired, signed with another secret, wrong audience...).
      // No error attribute (missing_token): the header did not arrive. Either way: one fresh token (unless
      // another call already got one), one retry. A missing session here still means "sign in".
      if (cached?.token === token) cached = null;
      response = await send(path, init, await currentToken());
      retried = true;
    }
    if (response.ok) return response;

    const { body, code, challenge: wwwAuthenticate } = await answerOf(response);
    const details = { body, challenge: wwwAuthenticate };
    const status = response.status;
    if (status === 401) {
      cached = null;
      const what = retried ? 'a freshly issued token' : 'the token';
      const why =
        challengeError(wwwAuthenticate) === 'invalid_token'
          ? 'the app and the API disagree on the secret, issuer, audience or clock'
          : 'the Authorization header did not reach the API (a proxy or the CORS setup drops it), or the API hides its WWW-Authenticate header';
      throw new ConfigurationError(`The API refused ${what} (${code ?? 'no code'}): ${why}. Signing in again will not help; report it.`, status, code, details);
    }
    if (status === 403) throw new ApiError('forbidden', 'You are signed in but not allowed to do this.', status, code, details);
    if (status === 400) throw new ApiError('bad-request', `The API refused the request (${code ?? 'bad request'}).`, status, code, details);
    if (status === 503) throw new ApiError('unavailable', 'The API cannot check tokens right now; try again later.', status, code, details);
    if (status >= 500) throw new ApiError('server', `The API failed (${status}).`, status, code, details);
    throw new ApiError('http', `The API answered ${status}.`, status, code, details);
  }

  return {
    request,
    async json<T>(path: string, init?: RequestInit): Promise<T> {
      return (await (await request(path, init)).json()) as T;
    },
    clearToken() {
      cached = null;
    },
  };
}
