/**
 * The Authorization header: how many there are, which scheme, which token (checks 1 and 2), and how to
 * find the header in whatever a person pastes (a token, a header line, a curl command, a token route's JSON).
 */

/** One header value, several (one per header sent), or none. */
export type AuthorizationInput = string | string[] | null;

export type BearerParse =
  | { kind: 'duplicate'; count: number }
  | { kind: 'missing'; reason: 'no-header' | 'empty-header' | 'other-scheme' | 'empty-token'; scheme?: string }
  | { kind: 'token'; token: string; scheme: string };

/** Every Authorization value a request carries, one per header sent (none: an empty list). */
export function authorizationValues(authorization: AuthorizationInput | undefined): string[] {
  return authorization === null || authorization === undefined ? [] : Array.isArray(authorization) ? authorization : [authorization];
}

/** HTTP optional whitespace: space and horizontal tab. */
const OWS = /^[ \t]+|[ \t]+$/g;

/** Checks 1 and 2 of the contract: one credential, Bearer scheme, non-empty token. */
export function parseAuthorization(authorization: AuthorizationInput): BearerParse {
  const values = authorizationValues(authorization);
  if (values.length >= 2) return { kind: 'duplicate', count: values.length };
  if (values.length === 0) return { kind: 'missing', reason: 'no-header' };
  const value = values[0]!.replace(OWS, '');
  if (value === '') return { kind: 'missing', reason: 'empty-header' };
  const space = value.indexOf(' ');
  const scheme = space === -1 ? value : value.slice(0, space);
  const token = space === -1 ? '' : value.slice(space).replace(/^ +/, '');
  if (scheme.toLowerCase() !== 'bearer' || !/^[A-Za-z]+$/.test(scheme)) {
    return { kind: 'missing', reason: 'other-scheme', scheme };
  }
  if (token === '') return { kind: 'missing', reason: 'empty-token', scheme };
  return { kind: 'token', token, scheme };
}

export interface ExtractedAuthorization {
  authorization: AuthorizationInput;
  /**
   * What the pasted text was recognised as. `request`: a request line or `Name: value` header lines
   * with no Authorization header among them (the request carries no credential the API reads).
   */
  source: 'empty' | 'token' | 'header-value' | 'header-lines' | 'request' | 'curl' | 'json';
  /** The request (header lines or curl) also sent a Cookie header. */
  cookie?: boolean;
}

/** A header field line, `Name: value` (RFC 9110 token characters in the name). */
const HEADER_LINE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+[ \t]*:(?!\/\/)/;
/** An HTTP/1.x request line, `GET /path HTTP/1.1`, or an HTTP/2 pseudo-header (`:method: GET`). */
const REQUEST_LINE = /^(?:[A-Z]+ \S+ HTTP\/\d(?:\.\d)?|:[a-z]+:)/;

function unquote(text: string): string {
  const quote = text[0];
  if ((quote === '"' || quote === "'") && text.endsWith(quote) && text.length >= 2) return text.slice(1, -1);
  return text;
}

/**
 * Finds the Authorization header(s) in pasted text. The text itself is never changed: a bare token
 * becomes the value "Bearer <token>" of a header that the pasted text implies.
 */
export function extractAuthorization(pasted: string): ExtractedAuthorization {
  const text = pasted.trim();
  if (text === '') return { authorization: null, source: 'empty' };

  if (/^curl\s/i.test(text)) {
    const joined = text.replace(/\\\r?\n/g, ' ');
    const values: string[] = [];
    const header = /(?:-H|--header)\s*(?:"([^"]*)"|'([^']*)'|(\S+))/g;
    for (const match of joined.matchAll(header)) {
      const line = match[1] ?? match[2] ?? match[3] ?? '';
      const colon = line.indexOf(':');
      if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === 'authorization') values.push(line.slice(colon + 1).trim());
    }
    const oauth = joined.match(/--oauth2-bearer\s+("[^"]*"|'[^']*'|\S+)/);
    if (oauth) values.push(`Bearer ${unquote(oauth[1]!)}`);
    const cookie = /(?:-H|--header)\s*["']?cookie\s*:|(?:^|\s)(?:-b|--cookie)\s/i.test(joined);
    return { authorization: values.length === 0 ? null : values.length === 1 ? values[0]! : values, source: 'curl', ...(cookie ? { cookie } : {}) };
  }

  if (text.startsWith('{')) {
    try {
      const json: unknown = JSON.parse(text);
      if (json && typeof json === 'object' && !Array.isArray(json)) {
        const record = json as Record<string, unknown>;
        const token = record.token ?? record.access_token ?? record.accessToken;
        if (typeof token === 'string') return { authorization: `Bearer ${token}`, source: 'json' };
      }
    } catch {
      // not JSON: read it as a token below
    }
  }

  const lines = text.split(/\r?\n/);
  const cookie = lines.some((line) => /^cookie\s*:/i.test(line.trim())) ? { cookie: true } : {};
  const headerLines = lines.filter((line) => /^authorization\s*:/i.test(line.trim()));
  if (headerLines.length > 0) {
    const values = headerLines.map((line) => line.slice(line.indexOf(':') + 1).trim());
    return { authorization: values.length === 1 ? values[0]! : values, source: 'header-lines', ...cookie };
  }
  // A request line, or nothing but header lines: a request, even without an Authorization header.
  const filled = lines.map((line) => line.trim()).filter((line) => line !== '');
  if (REQUEST_LINE.test(filled[0]!) || filled.every((line) => HEADER_LINE.test(line) && !/^(bearer|basic|token|digest)\b/i.test(line))) {
    return { authorization: null, source: 'request', ...cookie };
  }
  if (/^(bearer|basic|token|digest)( |$)/i.test(text)) return { authorization: text, source: 'header-value' };
  return { authorization: `Bearer ${text}`, source: 'token' };
}
