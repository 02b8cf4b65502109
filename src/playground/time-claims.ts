/** Readable time claims: each of iat, nbf, exp as a date in the reader's time zone and in UTC, and relative to the clock. */
import { formatDuration, formatUtc } from '../contract/verifier/time.ts';

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

const pad = (value: number, size = 2) => String(value).padStart(size, '0');

/** The reader's wall-clock date and time of a moment, from Date's own getters. */
export function wallClock(date: Date): { day: string; time: string } {
  const year = date.getFullYear();
  const yearText = year >= 0 && year <= 9999 ? pad(year, 4) : `${year < 0 ? '-' : '+'}${pad(Math.abs(year), 6)}`;
  return {
    day: `${yearText}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`,
    time: `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`,
  };
}

/**
 * A date in the reader's time zone with the zone's offset from UTC, "2025-12-31 19:00:00 (UTC-05:00)";
 * null when not representable. Built from Date's getters rather than Intl: creating the first Intl
 * formatter loads locale data, a long task on a phone just as the page starts.
 */
export function localDate(seconds: number): string | null {
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) return null;
  const { day, time } = wallClock(date);
  const millis = date.getMilliseconds();
  const offset = Math.round(-date.getTimezoneOffset());
  const zone = `UTC${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${day} ${time}${millis ? `.${pad(millis, 3)}` : ''} (${zone})`;
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
export function timeClaimRows(payload: Record<string, unknown> | undefined, now: number): TimeClaimRow[] {
  if (!payload) return [];
  const rows: TimeClaimRow[] = [];
  for (const name of ['iat', 'nbf', 'exp'] as const) {
    if (!Object.hasOwn(payload, name)) continue;
    const value = payload[name];
    const numeric = typeof value === 'number' && Number.isFinite(value);
    const row: TimeClaimRow = { name, meaning: MEANING[name], raw: show(value), numeric };
    if (numeric) {
      row.local = localDate(value) ?? 'not a representable date';
      row.utc = formatUtc(value);
      row.relative = relativePhrase(name, value, now);
    }
    rows.push(row);
  }
  return rows;
}

/**
 * The clock's date field: a moment as ISO 8601 in UTC, to the second ("2026-01-01T00:00:00Z"), the way token
 * times are read; empty when the year is outside 0000-9999. A text field rather than a date picker: the
 * browser's picker sets up its locale data when the page is parsed, 30 to 70 ms before the first paint.
 */
export function utcInput(seconds: number): string {
  const date = new Date(Math.floor(seconds) * 1000);
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 0 || year > 9999) return '';
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const ISO_MOMENT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

/**
 * Seconds since the epoch for what the reader typed in the clock's date field: ISO 8601 with a "T" or a space,
 * seconds optional, a "Z" or an offset such as +02:00 (no zone: UTC, as the field says). Null when it is not
 * such a date, or not a real one (2026-02-30, 24:00).
 */
export function parseUtcInput(text: string): number | null {
  const match = ISO_MOMENT.exec(text.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second = 0] = match.slice(1, 7).map((part) => (part === undefined ? undefined : Number(part))) as number[];
  const fraction = match[7] ? Number(match[7]) : 0;
  const zone = (match[8] ?? 'Z').toUpperCase();
  if (month! < 1 || month! > 12 || hour! > 23 || minute! > 59 || second > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(year!, month! - 1, day!); // not Date.UTC, which reads years 0-99 as 1900-1999
  date.setUTCHours(hour!, minute!, second);
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month! - 1) return null;
  let offset = 0;
  if (zone !== 'Z' && zone !== 'UTC') {
    const digits = zone.replace(':', '');
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5));
    if (hours > 23 || minutes > 59) return null;
    offset = (digits[0] === '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
  }
  return date.getTime() / 1000 + fraction - offset;
}
