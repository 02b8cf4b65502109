/**
 * A small browser client for the FastAPI backend.
 *
 * - Gets its token from the Next.js app (GET /api/token) and keeps it in memory only: never in
 *   localStorage, sessionStorage or a cookie, so a page reload simply fetches a new one.
 * - Sends exactly one `Authorization: Bearer <token>` header on every call.
 * - Fetches a new token 60 s before `exp`, and once after a 401 whose WWW-Authenticate says
 *   error="invalid_token"; if the retry gets a 401 too, the user has to sign in again.
 * - Never retries a 403 (signed in, not allowed) or a 401 without error="invalid_token" (no usable token).
 * - Fails with an ApiError whose `kind` tells the UI what to do.
 *
 * Cross-origin APIs: a browser lets this code read WWW-Authenticate only if the API sends
 * `Access-Control-Expose-Headers: WWW-Authenticate` (the FastAPI example does). Without it every 401
 * looks like one without error="invalid_token", and the client asks the user to sign in instead of refreshing.
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
 *   sign-in      no session, or the token was refused twice: send the user to sign in
 *   forbidden    403: signed in but not allowed; show "not allowed", do not retry
 *   bad-request  400: a bug in the request (e.g. two Authorization headers); do not retry
 *   server       5xx from the API or the token route: show a generic error, report it
 *   network      the request did not get an answer (offline, DNS, CORS refused)
 *   http         any other status (404, 409, 422...): the route's own error
 */
export type ApiErrorKind = 'sign-in' | 'forbidden' | 'bad-request' | 'server' | 'network' | 'http';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly kind: ApiErrorKind;
  /** The HTTP status, when there was an answer. */
  readonly status: number | null;
  /** The contract's `code` from the JSON body (e.g. "token_expired"), when there is one. */
  readonly code: string | null;

  constructor(kind: ApiErrorKind, message: string, status: number | null = null, code: string | null = null) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.code = code;
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

async function errorCode(response: Response): Promise<string | null> {
  try {
    const body = (await response.clone().json()) as { code?: unknown };
    return typeof body.code === 'string' ? body.code : null;
  } catch {
    return null;
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

    if (response.status === 401 && challengeError(response.headers.get('WWW-Authenticate')) === 'invalid_token') {
      // The API refused this token (expired, signed with another secret, wrong audience...).
      // Get a new one, unless another call already did, and retry exactly once.
      if (cached?.token === token) cached = null;
      response = await send(path, init, await currentToken());
    }
    if (response.ok) return response;

    const code = await errorCode(response);
    const status = response.status;
    if (status === 401) {
      cached = null;
      throw new ApiError('sign-in', 'The API did not accept the token: sign in again.', status, code);
    }
    if (status === 403) throw new ApiError('forbidden', 'You are signed in but not allowed to do this.', status, code);
    if (status === 400) throw new ApiError('bad-request', `The API refused the request (${code ?? 'bad request'}).`, status, code);
    if (status >= 500) throw new ApiError('server', `The API failed (${status}).`, status, code);
    throw new ApiError('http', `The API answered ${status}.`, status, code);
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
