/** How the verifier quotes values in its messages: short JSON, and a type in words. */
import { jsonTypeName } from '../codec/decode.ts';

/** A value as short JSON (80 characters at most). */
export function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** A value's JSON type and the value itself, in words. */
export function describeType(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return 'a number too large to represent (it reads as infinity)';
  if (value === null) return 'null';
  return `${jsonTypeName(value)} (${show(value)})`;
}
