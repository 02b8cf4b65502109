/**
 * The secret never leaves the process: every text the CLI writes (stdout, stderr, reports, the job summary)
 * goes through redact(), which replaces the secret, should a server echo it, with a placeholder.
 */
export const REDACTED = '[secret]';

export function byteLength(secret: string): number {
  return new TextEncoder().encode(secret).length;
}

export function redact(text: string, secret: string | null | undefined): string {
  if (!secret || secret.length < 4) return text;
  return text.split(secret).join(REDACTED);
}
