/**
 * Strict, canonical, unpadded base64url (RFC 4648 §5), as the contract requires for every segment.
 * Lenient decoders (Node's Buffer, PyJWT's, jose's) accept padding, "+" and "/", whitespace or stray
 * trailing bits; this one reports exactly where and why a segment is not canonical base64url.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUES = new Map([...ALPHABET].map((char, index) => [char, index]));

export type Base64urlResult =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; message: string; /** 0-based index of the offending character, when there is one */ position?: number };

function describeChar(char: string): string {
  if (char === ' ') return 'a space';
  if (char === '\t') return 'a tab';
  if (char === '\n' || char === '\r') return 'a line break';
  if (char === '=') return 'padding "="';
  if (char === '+' || char === '/') return `"${char}" (standard base64, not base64url)`;
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `"${char}"`;
}

export function encodeBase64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += ALPHABET[a >> 2]!;
    out += ALPHABET[((a & 0x03) << 4) | ((b ?? 0) >> 4)]!;
    if (b !== undefined) out += ALPHABET[((b & 0x0f) << 2) | ((c ?? 0) >> 6)]!;
    if (c !== undefined) out += ALPHABET[c & 0x3f]!;
  }
  return out;
}

export function encodeBase64urlText(text: string): string {
  return encodeBase64url(new TextEncoder().encode(text));
}

/** Decodes canonical unpadded base64url. Never throws. */
export function decodeBase64url(segment: string): Base64urlResult {
  let index = 0;
  for (const char of segment) {
    if (!VALUES.has(char)) {
      return { ok: false, position: index, message: `is not valid base64url at character ${index + 1}: ${describeChar(char)}` };
    }
    index += char.length;
  }
  if (segment.length % 4 === 1) {
    return { ok: false, message: `has ${segment.length} characters, a length no base64url text can have (one character too many or too few)` };
  }
  const bytes = new Uint8Array(Math.floor((segment.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let out = 0;
  for (let i = 0; i < segment.length; i++) {
    buffer = (buffer << 6) | VALUES.get(segment[i]!)!;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[out++] = (buffer >> bits) & 0xff;
    }
  }
  // Leftover bits must be zero, or two different texts would decode to the same bytes.
  if (bits > 0 && (buffer & ((1 << bits) - 1)) !== 0) {
    return {
      ok: false,
      position: segment.length - 1,
      message: `is not canonical base64url: its last character "${segment.at(-1)}" carries stray bits`,
    };
  }
  return { ok: true, bytes };
}
