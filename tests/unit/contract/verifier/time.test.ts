import { describe, expect, it } from 'vitest';
import { formatDuration, formatRelative, formatUtc } from '../../../../src/contract/verifier/time.ts';

describe('time formatting', () => {
  it.each([
    [0, '0 s'],
    [0.5, '0.5 s'],
    [12, '12 s'],
    [252, '4 min 12 s'],
    [3600, '1 h'],
    [3 * 3600 + 120, '3 h 2 min'],
    [2 * 86400 + 5 * 3600 + 7, '2 d 5 h'],
    [-90, '1 min 30 s'],
    [Infinity, 'forever'],
  ])('%s s is "%s"', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('says in and ago relative to a clock', () => {
    expect(formatRelative(1000 + 720, 1000)).toBe('in 12 min');
    expect(formatRelative(1000 - 3 * 3600, 1000)).toBe('3 h ago');
    expect(formatRelative(1000, 1000)).toBe('now');
  });

  it('prints UTC dates and survives impossible ones', () => {
    expect(formatUtc(1767225600)).toBe('2026-01-01T00:00:00Z');
    expect(formatUtc(1e300)).toBe('not a representable date');
  });
});
