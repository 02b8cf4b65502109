/** When an HS256 signature fails: would a common mistake with the secret have produced it? */
import { hmacSha256Base64url } from '../codec/hmac.ts';

const encoder = new TextEncoder();

function base64Bytes(text: string): Uint8Array | null {
  const normalized = text.trim().replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(normalized) || normalized.replace(/=+$/, '').length % 4 === 1) return null;
  const clean = normalized.replace(/=+$/, '');
  const binary = atob(clean + '='.repeat((4 - (clean.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

export async function secretHints(token: string, secret: string): Promise<string[]> {
  const [header, payload, signature] = token.split('.');
  const message = `${header}.${payload}`;
  const variants: [string, Uint8Array][] = [];
  if (secret !== secret.trim()) variants.push(['the same secret without its surrounding whitespace or newline', encoder.encode(secret.trim())]);
  variants.push(['the same secret followed by a newline (as `echo` writes it into a file)', encoder.encode(`${secret}\n`)]);
  const decoded = base64Bytes(secret);
  if (decoded && decoded.length > 0) variants.push(['the base64-decoded bytes of the secret instead of its text', decoded]);
  // All variants at once: each HMAC is a round trip to WebCrypto, and the answer waits for the slowest only.
  const matches = await Promise.all(variants.map(async ([, key]) => key.length > 0 && (await hmacSha256Base64url(key, message)) === signature));
  return variants
    .filter((_, index) => matches[index])
    .map(([what]) => `The signature matches ${what}. Both sides must use the UTF-8 bytes of the exact same BETTER_AUTH_SECRET.`);
}
