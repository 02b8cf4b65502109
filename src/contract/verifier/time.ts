/** Readable durations and dates for NumericDate claims (seconds since the epoch). */

/** A NumericDate above this is almost surely milliseconds (Date.now()): 10^11 seconds is the year 5138. */
const MILLISECONDS_ABOVE = 1e11;

/** True when a NumericDate is so large that it was almost surely written in milliseconds, not seconds. */
export function looksLikeMilliseconds(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value) > MILLISECONDS_ABOVE;
}

const UNITS: [string, number][] = [
  ['d', 86_400],
  ['h', 3_600],
  ['min', 60],
  ['s', 1],
];

/** "4 min 12 s", "3 h", "2 d 5 h", "0.5 s": at most two units, never negative. */
export function formatDuration(seconds: number): string {
  let rest = Math.abs(seconds);
  if (!Number.isFinite(rest)) return 'forever';
  if (rest < 1) return rest === 0 ? '0 s' : `${Number(rest.toFixed(3))} s`;
  if (rest >= 86_400 * 365 * 2) return `${Math.floor(rest / (86_400 * 365.25))} years`;
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    if (rest >= size || (unit === 's' && parts.length === 0)) {
      const amount = unit === 's' ? Math.floor(rest * 1000) / 1000 : Math.floor(rest / size);
      parts.push(`${Number(amount.toFixed(3))} ${unit}`);
      rest -= amount * size;
    }
    if (parts.length === 2) break;
    if (parts.length === 1 && rest < 1e-9) break;
  }
  return parts.join(' ');
}

/** "in 12 min" / "3 h ago" / "now", relative to `now`. */
export function formatRelative(seconds: number, now: number): string {
  const delta = seconds - now;
  if (delta === 0) return 'now';
  return delta > 0 ? `in ${formatDuration(delta)}` : `${formatDuration(delta)} ago`;
}

/** ISO 8601 in UTC, or a description when the number is not a representable date. */
export function formatUtc(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? 'not a representable date' : date.toISOString().replace('.000Z', 'Z');
}
