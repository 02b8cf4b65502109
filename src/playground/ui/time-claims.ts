/** Readable time claims: each of iat, nbf, exp as a date in the reader's time zone and in UTC, and relative to the clock. */
import { formatDuration, formatUtc } from '../time.ts';

export interface TimeClaimRow {
  name: 'iat' | 'nbf' | 'exp';
  /** What the claim means, in words. */
  meaning: string;
  /** The value as it appears in the payload. */
  raw: string;
  /** Whether it is a finite number (a NumericDate). */
  numeric: boolean;
  local?: string;
  utc?: string;
  /** "expires in 12 min", "expired 3 h ago", "issued 5 min ago"... */
  relative?: string;
}

const MEANING = { iat: 'issued at', nbf: 'not before', exp: 'expires at' } as const;

/** Intl formatters are costly to create (the clock re-renders every second): one per time zone. */
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatter(timeZone?: string): Intl.DateTimeFormat | null {
  const key = timeZone ?? '';
  if (!formatters.has(key)) {
    try {
      formatters.set(key, new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'long', timeZone }));
    } catch {
      formatters.set(key, null); // an unknown time zone
    }
  }
  return formatters.get(key)!;
}

/** A date in the reader's time zone (or the given one), with the zone's name; null when not representable. */
export function localDate(seconds: number, timeZone?: string): string | null {
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) return null;
  try {
    return formatter(timeZone)?.format(date) ?? null;
  } catch {
    return null;
  }
}

/** The relative phrase of a time claim at `now`. */
export function relativePhrase(name: TimeClaimRow['name'], value: number, now: number): string {
  const delta = value - now;
  const span = formatDuration(delta);
  if (name === 'exp') return delta > 0 ? `expires in ${span}` : delta === 0 ? 'expires now' : `expired ${span} ago`;
  if (name === 'iat') return delta > 0 ? `issued ${span} in the future` : delta === 0 ? 'issued now' : `issued ${span} ago`;
  return delta > 0 ? `not valid for another ${span}` : `valid since ${span === '0 s' ? 'now' : `${span} ago`}`;
}

const show = (value: unknown) => {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
};

/** One row per time claim present in the payload, in the order iat, nbf, exp. */
export function timeClaimRows(payload: Record<string, unknown> | undefined, now: number, timeZone?: string): TimeClaimRow[] {
  if (!payload) return [];
  const rows: TimeClaimRow[] = [];
  for (const name of ['iat', 'nbf', 'exp'] as const) {
    if (!Object.hasOwn(payload, name)) continue;
    const value = payload[name];
    const numeric = typeof value === 'number' && Number.isFinite(value);
    const row: TimeClaimRow = { name, meaning: MEANING[name], raw: show(value), numeric };
    if (numeric) {
      row.local = localDate(value, timeZone) ?? 'not a representable date';
      row.utc = formatUtc(value);
      row.relative = relativePhrase(name, value, now);
    }
    rows.push(row);
  }
  return rows;
}
