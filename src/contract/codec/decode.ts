/**
 * The decoder: shows what any string holds as far as it can be read, and says precisely what is broken.
 * It never throws and never verifies anything; a token with a broken signature or payload still shows
 * its header. The verifier uses its first problem as the reason for malformed_token.
 */
import { decodeBase64url } from './base64url.ts';
import { MAX_JSON_DEPTH } from '../data/contract.ts';

export type SegmentName = 'header' | 'payload' | 'signature';
export const SEGMENT_NAMES: readonly SegmentName[] = ['header', 'payload', 'signature'];

export interface SegmentView {
  /** 0-based position among the dot-separated segments. */
  index: number;
  /** header, payload, signature; segments past the third have no name. */
  name: SegmentName | null;
  text: string;
  /** Offset of the segment's first character in the token. */
  start: number;
  bytes?: Uint8Array;
  /** The decoded UTF-8 text (header and payload). */
  decodedText?: string;
  /** The parsed JSON value (header and payload), whatever its type. */
  json?: unknown;
  /** What is wrong with this segment, in words. */
  problem?: string;
  /** Offset in the token of the offending character, when there is one. */
  problemAt?: number;
}

export interface DecodedToken {
  token: string;
  segments: SegmentView[];
  /** The header, when it decodes to a JSON object. */
  header?: Record<string, unknown>;
  /** The payload, when it decodes to a JSON object. */
  payload?: Record<string, unknown>;
  /** Every problem found, in reading order; the first one is the one reported. */
  problems: string[];
  /** Hints about what the string might be instead (a session token, a JWE...). */
  hints: string[];
  /** Three canonical base64url segments whose header and payload are JSON objects. */
  wellFormed: boolean;
}

const ORDINAL = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth'];

export function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

/** How deeply arrays and objects nest in JSON text (strings skipped), without recursion. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '[' || char === '{') deepest = Math.max(deepest, ++depth);
    else if (char === ']' || char === '}') depth--;
  }
  return deepest;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function label(segment: SegmentView): string {
  return segment.name ? `segment ${segment.index + 1} (${segment.name})` : `segment ${segment.index + 1}`;
}

function readJson(segment: SegmentView): void {
  if (!segment.bytes) return;
  let text: string;
  try {
    text = utf8.decode(segment.bytes);
  } catch {
    segment.problem = `${segment.name} is not valid UTF-8 text`;
    return;
  }
  segment.decodedText = text;
  if (text.charCodeAt(0) === 0xfeff) {
    segment.problem = `${segment.name} is not JSON: it starts with a byte order mark (BOM)`;
    return;
  }
  const depth = jsonDepth(text);
  if (depth > MAX_JSON_DEPTH) {
    segment.problem = `${segment.name} nests ${depth} levels deep; at most ${MAX_JSON_DEPTH} are accepted`;
    return;
  }
  try {
    segment.json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    segment.problem = `${segment.name} is not JSON: ${reason.length > 160 ? `${reason.slice(0, 160)}…` : reason}`;
    return;
  }
  if (typeof segment.json !== 'object' || segment.json === null || Array.isArray(segment.json)) {
    segment.problem = `${segment.name} is JSON but not an object (${jsonTypeName(segment.json)})`;
  }
}

/** A base64url JWS or JWE header starts with `{"`, which encodes as "eyJ". */
const GLUED = /eyJ[A-Za-z0-9_-]*\.eyJ/g;

function hintsFor(token: string, parts: string[], header: Record<string, unknown> | undefined): string[] {
  const hints: string[] = [];
  if (parts.length === 1 && /^[A-Za-z0-9]{32}$/.test(token)) {
    hints.push(
      "This looks like a Better Auth session token (what the bearer plugin's set-auth-token header carries), not a JWT. Ask the Next.js app for a JWT instead.",
    );
  }
  if (parts.length === 2 && /^[A-Za-z0-9]{32}$/.test(parts[0]!) && /[+/=]/.test(parts[1]!)) {
    hints.push(
      'This looks like the value of the better-auth.session_token cookie (session id and signature), not a JWT. Ask the Next.js app for a JWT instead.',
    );
  }
  const glued = parts.length > 3 ? (token.match(GLUED) ?? []).length : 0;
  if (parts.length === 5 && header && Object.hasOwn(header, 'enc')) {
    hints.push('Five segments and an "enc" header: this is an encrypted JWT (JWE), for example a Better Auth cookie cache with strategy "jwe". The API accepts only signed tokens (JWS).');
  } else if (glued >= 2) {
    hints.push(`${glued} tokens glued together: each "eyJ….eyJ…" is a header and a payload, the start of a token. Send exactly one token (a proxy or a copy may have joined two).`);
  }
  if (parts.length === 2 && !header) {
    hints.push('Two segments and no JSON header: this is not a JWT, which has three (header.payload.signature).');
  }
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(token) && token.length % 4 === 0 && parts.length === 1 && token.length > 40) {
    hints.push('This looks like standard base64 of something, not a JWT.');
  }
  return hints;
}

/** Decodes anything. Never throws. */
export function decodeToken(input: string): DecodedToken {
  const token = typeof input === 'string' ? input : String(input);
  const parts = token.split('.');
  const problems: string[] = [];
  const segments: SegmentView[] = [];

  if (parts.length !== 3) {
    const count = parts.length;
    const hint = count === 2 ? ' (is the signature missing?)' : count === 1 ? ': a JWS has two dots' : '';
    problems.push(`${count} segment${count === 1 ? '' : 's'}, expected 3${hint}`);
  }

  let start = 0;
  parts.forEach((text, index) => {
    const name = SEGMENT_NAMES[index] ?? null;
    const segment: SegmentView = { index, name, text, start };
    start += text.length + 1;
    segments.push(segment);
    if (index > 2) return;
    if (text === '' && name !== 'signature') {
      segment.problem = `${label(segment)} is empty`;
      return;
    }
    const decoded = decodeBase64url(text);
    if (!decoded.ok) {
      segment.problem = `${label(segment)} ${decoded.message}`;
      if (decoded.position !== undefined) segment.problemAt = segment.start + decoded.position;
      return;
    }
    segment.bytes = decoded.bytes;
    if (name !== 'signature') readJson(segment);
  });

  for (const segment of segments) if (segment.problem) problems.push(segment.problem);

  const [headerSegment, payloadSegment] = segments;
  const asObject = (segment?: SegmentView) =>
    segment && !segment.problem && segment.json !== null && typeof segment.json === 'object' && !Array.isArray(segment.json)
      ? (segment.json as Record<string, unknown>)
      : undefined;
  if (parts.length > 3) {
    problems[0] = `${parts.length} segments, expected 3 (the ${ORDINAL[3] ?? `${parts.length}th`} segment starts at character ${segments[3]!.start + 1})`;
  }

  return {
    token,
    segments,
    header: asObject(headerSegment),
    payload: asObject(payloadSegment),
    problems,
    hints: hintsFor(token, parts, asObject(headerSegment)),
    wellFormed: problems.length === 0,
  };
}
