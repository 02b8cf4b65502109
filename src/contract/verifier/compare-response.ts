/**
 * "Your backend's answer": reads a response as people paste it (curl -i output, DevTools' copied
 * response headers, with or without the body) and compares it with the contract's answer, field by field:
 * status, WWW-Authenticate (scheme, realm, error attribute), the body's shape {detail, code} and its code.
 * Each difference says why it matters to the frontend. Pure, never throws.
 */

export interface ExpectedResponse {
  status: number;
  code: string | null;
  wwwAuthenticate: string | null;
}

export interface ParsedResponse {
  status: number | null;
  /** Header names in lower case; a repeated header keeps every value. */
  headers: Map<string, string[]>;
  /** The body text, when one was pasted. */
  body: string | null;
}

export interface Difference {
  field: 'status' | 'www-authenticate' | 'realm' | 'error' | 'error_description' | 'body' | 'code' | 'content-type';
  expected: string;
  got: string;
  /** Why it matters to the frontend. */
  why: string;
}

export interface Comparison {
  /** Nothing recognisable was pasted. */
  empty: boolean;
  parsed: ParsedResponse;
  differences: Difference[];
  /** Fields that were compared and agree, in words. */
  matches: string[];
  /** What could not be compared (no body pasted, no status line). */
  notes: string[];
}

const STATUS_LINE = /^HTTP\/\d(?:\.\d)?\s+(\d{3})\b/i;
/** DevTools' status forms: HTTP/2's ":status: 401", "status: 401" and the General section's "Status Code: 401 Unauthorized". */
const STATUS_FIELD = /^(?::?status|status code):?\s+(\d{3})\b/i;
/** The headings of DevTools' Headers tab, as a copy of it holds them. */
const SECTION = /^(general|response headers|request headers)(?:\s*\(\d+\))?(?:\s+raw)?$/i;
/** The General section's other lines: they describe the request, not the answer. */
const GENERAL_LINE = /^(request url|request method|remote address|referrer policy):/i;

/**
 * Reads pasted response text: curl -i output (HTTP/1.x and HTTP/2 status lines; after a redirect or a
 * 100 Continue, every response is printed and the last one counts), DevTools' copied Headers tab (its
 * General and Response Headers sections; the Request Headers section is the request's and is skipped), or a
 * body alone.
 */
export function parseResponse(text: string): ParsedResponse {
  const headers = new Map<string, string[]>();
  let status: number | null = null;
  const raw = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const lines = raw.map((line) => line.trim());
  const nextFilled = (from: number) => {
    while (from < lines.length && lines[from] === '') from++;
    return from;
  };
  let bodyStart = -1;
  let requestSection = false;
  for (let index = nextFilled(0); index < lines.length; index++) {
    const line = lines[index]!;
    if (line === '') {
      // A blank line ends a response head, unless another head follows (curl -iL, 100 Continue, DevTools' sections).
      const next = nextFilled(index);
      if (next < lines.length && (STATUS_LINE.test(lines[next]!) || SECTION.test(lines[next]!))) {
        index = next - 1;
        continue;
      }
      bodyStart = next;
      break;
    }
    const statusLine = STATUS_LINE.exec(line);
    if (statusLine) {
      status = Number(statusLine[1]);
      headers.clear();
      requestSection = false;
      continue;
    }
    const section = SECTION.exec(line);
    if (section) {
      requestSection = section[1]!.toLowerCase() === 'request headers';
      continue;
    }
    const statusField = STATUS_FIELD.exec(line);
    if (statusField) {
      status = Number(statusField[1]);
      continue;
    }
    if (GENERAL_LINE.test(line)) continue;
    const colon = line.indexOf(':');
    if (colon > 0 && /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(line.slice(0, colon).trim())) {
      if (requestSection) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
      continue;
    }
    // Not a header: the body starts here (a pasted body without a blank line before it).
    bodyStart = index;
    break;
  }
  const body = bodyStart === -1 ? null : raw.slice(bodyStart).join('\n').trim() || null;
  return { status, headers, body };
}

/** The parameters of a Bearer challenge: scheme and auth-params (quoted or token values). */
export function parseChallenge(value: string): { scheme: string; params: Map<string, string> } {
  const trimmed = value.trim();
  const space = trimmed.search(/\s/);
  const scheme = space === -1 ? trimmed : trimmed.slice(0, space);
  const params = new Map<string, string>();
  const rest = space === -1 ? '' : trimmed.slice(space);
  for (const match of rest.matchAll(/([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g)) {
    params.set(match[1]!.toLowerCase(), (match[2] ?? match[3] ?? '').replace(/\\(.)/g, '$1'));
  }
  return { scheme, params };
}

const STATUS_WHY: Record<string, string> = {
  '403>401': 'A 403 tells the frontend "signed in, not allowed": it never fetches a fresh token, so a missing or expired token is never recovered. Missing or invalid credentials are 401 (older FastAPI HTTPBearer answers 403 here).',
  '401>403': 'A 401 makes the frontend fetch a new token and retry, which cannot help: the user is signed in but not allowed. Use 403 with error="insufficient_scope".',
  '422>401': 'FastAPI answers 422 when a declared Authorization header is missing; the frontend then treats it as a client bug instead of fetching a token. Use 401 with a Bearer challenge.',
  '500>401': 'A 500 for a bad token reads as an outage: the frontend reports it instead of refreshing the token. An unexpected exception escaped the verifier (PyJWT raises TypeError on odd claim types).',
};

function statusWhy(got: number, expected: number): string {
  return (
    STATUS_WHY[`${got}>${expected}`] ??
    `The frontend branches on the status first: ${got} leads it down another path than ${expected} (401: refresh or sign in; 403: do not retry; 400: client bug; 500/503: report or retry later).`
  );
}

const ERROR_WHY =
  'The frontend tells "no token arrived" (no error attribute: fetch a token and retry) from "this token is bad" (error="invalid_token": refresh once) by this attribute; a cross-origin frontend reads it only if the API exposes WWW-Authenticate (Access-Control-Expose-Headers).';

/** The body as a JSON object, or null when it is not one. */
function jsonObject(body: string): Record<string, unknown> | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  return json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
}

/** Compares a pasted response with the contract's answer. */
export function compareResponse(text: string, expected: ExpectedResponse): Comparison {
  const parsed = parseResponse(text);
  const differences: Difference[] = [];
  const matches: string[] = [];
  const notes: string[] = [];
  const empty = text.trim() === '' || (parsed.status === null && parsed.headers.size === 0 && parsed.body === null);
  if (empty) return { empty: true, parsed, differences, matches, notes };

  // Status
  if (parsed.status === null) notes.push('No status line (HTTP/1.1 401 …) was pasted: the status was not compared.');
  else if (parsed.status !== expected.status) {
    differences.push({ field: 'status', expected: String(expected.status), got: String(parsed.status), why: statusWhy(parsed.status, expected.status) });
  } else matches.push(`status ${parsed.status}`);

  // WWW-Authenticate
  const challenges = parsed.headers.get('www-authenticate') ?? [];
  if (expected.wwwAuthenticate === null) {
    if (challenges.length > 0) {
      differences.push({
        field: 'www-authenticate',
        expected: '(not sent)',
        got: challenges.join(', '),
        why: expected.status === 200 ? 'A success carries no challenge.' : `A ${expected.status} carries no challenge: it is not about credentials, and a challenge invites the frontend to retry with a new token.`,
      });
    } else if (parsed.headers.size > 0) matches.push('no WWW-Authenticate');
  } else if (challenges.length === 0) {
    if (parsed.headers.size === 0) notes.push('No headers were pasted: WWW-Authenticate was not compared (curl -i prints them).');
    else {
      differences.push({
        field: 'www-authenticate',
        expected: expected.wwwAuthenticate,
        got: '(missing)',
        why: `RFC 6750 requires the challenge on a ${expected.status}, and the frontend reads its error attribute. ${ERROR_WHY}`,
      });
    }
  } else {
    const want = parseChallenge(expected.wwwAuthenticate);
    const got = parseChallenge(challenges[0]!);
    if (challenges.length > 1) notes.push(`${challenges.length} WWW-Authenticate headers were sent; the first is compared.`);
    if (got.scheme.toLowerCase() !== want.scheme.toLowerCase()) {
      differences.push({ field: 'www-authenticate', expected: expected.wwwAuthenticate, got: challenges[0]!, why: 'The challenge must name the Bearer scheme.' });
    } else {
      const realm = got.params.get('realm');
      if (realm !== want.params.get('realm')) {
        differences.push({
          field: 'realm',
          expected: `realm="${want.params.get('realm')}"`,
          got: realm === undefined ? '(no realm)' : `realm="${realm}"`,
          why: 'The contract fixes the realm so that every backend answers alike; a client or a test that matches the whole header sees a difference.',
        });
      } else matches.push(`realm="${realm}"`);
      const error = got.params.get('error');
      const wantError = want.params.get('error');
      if (error !== wantError) {
        differences.push({
          field: 'error',
          expected: wantError === undefined ? '(no error attribute)' : `error="${wantError}"`,
          got: error === undefined ? '(no error attribute)' : `error="${error}"`,
          why: ERROR_WHY,
        });
      } else matches.push(wantError === undefined ? 'no error attribute' : `error="${wantError}"`);
      if (got.params.has('error_description')) {
        differences.push({
          field: 'error_description',
          expected: '(not sent)',
          got: `error_description="${got.params.get('error_description')}"`,
          why: 'Contract v1.1 sends no error_description: the body\'s detail carries the sentence, and the header stays the same for every backend.',
        });
      }
    }
  }

  // Body
  if (parsed.body === null) {
    notes.push(expected.code ? 'No body was pasted: the code was not compared.' : 'No body was pasted.');
  } else if (expected.code === null) {
    // A success's body is the route's own data; the contract's error shape there means the backend refused.
    const record = jsonObject(parsed.body);
    if (record && typeof record.code === 'string' && typeof record.detail === 'string') {
      differences.push({
        field: 'code',
        expected: `(none: a ${expected.status} carries the route's own data)`,
        got: record.code,
        why: `The body is an error ({detail, code}) where the contract answers ${expected.status}: the backend refused what the contract accepts, and the frontend shows an error for a valid session.`,
      });
    }
  } else {
    const record = jsonObject(parsed.body);
    if (!record) {
      differences.push({
        field: 'body',
        expected: '{"detail": "…", "code": "…"}',
        got: parsed.body.length > 120 ? `${parsed.body.slice(0, 120)}…` : parsed.body,
        why: 'The frontend parses the body as JSON to read code; an HTML or text error page (often from a proxy) breaks that.',
      });
    } else {
      const keys = Object.keys(record);
      const shapeOk = typeof record.detail === 'string' && typeof record.code === 'string';
      if (!shapeOk) {
        differences.push({
          field: 'body',
          expected: '{"detail": "<sentence>", "code": "<code>"}',
          got: JSON.stringify(record).slice(0, 160),
          why:
            typeof record.detail === 'string' && !('code' in record)
              ? 'FastAPI\'s default {"detail": "…"} has no code: the frontend cannot branch on it and must guess from the sentence. Raise the contract\'s error with its code.'
              : 'The frontend reads a string detail and a string code; another shape (FastAPI\'s validation list, an object detail) breaks it.',
        });
      } else matches.push('body shape {detail, code}');
      if (typeof record.code === 'string') {
        if (record.code !== expected.code) {
          differences.push({
            field: 'code',
            expected: expected.code,
            got: record.code,
            why: 'code is the machine signal the frontend branches on (and logs): another code takes another branch or hides the real cause.',
          });
        } else matches.push(`code ${expected.code}`);
      }
      const extra = keys.filter((key) => key !== 'detail' && key !== 'code');
      if (shapeOk && extra.length) notes.push(`The body has other keys too (${extra.join(', ')}); the frontend ignores them.`);
    }
  }

  const type = parsed.headers.get('content-type')?.[0];
  if (expected.code !== null && type !== undefined && !/application\/(problem\+)?json/i.test(type)) {
    differences.push({ field: 'content-type', expected: 'application/json', got: type, why: 'Clients that check the type before parsing skip a body that is not declared JSON.' });
  }
  return { empty: false, parsed, differences, matches, notes };
}
