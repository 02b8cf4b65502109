/** progress.ts: a counter on a terminal, lines every 25 cases with --progress elsewhere, nothing by default. */
import { describe, expect, it } from 'vitest';
import { EVERY, createProgress } from '../../../../src/cli/conformance/progress.ts';
import type { Result } from '../../../../src/cli/conformance/result.ts';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { written, stream: { isTTY, columns: 60, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream };
}

const results = (count: number): Result[] =>
  Array.from({ length: count }, (_, index) => ({ name: `case-${index}`, title: '', kind: 'scenario', check: null, state: index === 3 ? 'mismatched' : 'passed', differences: [], ms: 1 }));

function drive(mode: 'auto' | 'always' | 'never', isTTY: boolean): string[] {
  const out = stream(isTTY);
  const progress = createProgress(mode, out.stream);
  progress.start(60);
  for (let count = 1; count <= 60; count++) progress.update(results(count));
  progress.stop();
  return out.written;
}

describe('progress', () => {
  it('on a terminal: one counter line rewritten in place, cleared at the end, never wider than the terminal', () => {
    const written = drive('auto', true);
    expect(written).toHaveLength(61);
    expect(written[10]).toMatch(/^\r\u001b\[Kconformance: 11\/60, 1 mismatched \(\d+\.\d s\) case-10$/);
    expect(written.at(-1)).toBe('\r\u001b[K');
    for (const text of written) expect(text.replace('\r\u001b[K', '').length).toBeLessThan(60);
  });
  it('not a terminal: nothing by default, a line every 25 cases and at the end with --progress', () => {
    expect(drive('auto', false)).toEqual([]);
    const lines = drive('always', false);
    expect(EVERY).toBe(25);
    expect(lines.map((line) => line.match(/^conformance: (\d+)\/60/)?.[1])).toEqual(['25', '50', '60']);
  });
  it('--no-progress: nothing, even on a terminal', () => {
    expect(drive('never', true)).toEqual([]);
  });
});
