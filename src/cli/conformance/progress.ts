/**
 * Progress on stderr. On a terminal: one counter line, rewritten in place and cleared at the end. Elsewhere
 * (CI logs, pipes) nothing, unless --progress: then a compact line every 25 cases and at the end.
 * --no-progress turns it off everywhere. stdout (the report) is never touched.
 */
import type { Result } from './result.ts';

export interface Progress {
  start(total: number): void;
  update(results: Result[]): void;
  stop(): void;
}

export const EVERY = 25;

export function createProgress(mode: 'auto' | 'always' | 'never', stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = Boolean(stream.isTTY);
  const style = mode === 'never' ? 'off' : tty ? 'counter' : mode === 'always' ? 'lines' : 'off';
  let total = 0;
  let started = 0;
  let drawn = false;
  const line = (results: Result[]) => {
    const count = (state: Result['state']) => results.filter((result) => result.state === state).length;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const parts = [`${results.length}/${total}`, `${count('mismatched')} mismatched`];
    if (count('no-answer')) parts.push(`${count('no-answer')} without answer`);
    return `conformance: ${parts.join(', ')} (${seconds} s)`;
  };
  return {
    start(count) {
      total = count;
      started = Date.now();
    },
    update(results) {
      if (style === 'counter') {
        const last = results.at(-1)?.name ?? '';
        const text = `${line(results)} ${last}`.slice(0, Math.max(20, (stream.columns || 80) - 1));
        stream.write(`\r\u001b[K${text}`);
        drawn = true;
      } else if (style === 'lines' && (results.length % EVERY === 0 || results.length === total)) {
        stream.write(`${line(results)}\n`);
      }
    },
    stop() {
      if (drawn) stream.write('\r\u001b[K');
      drawn = false;
    },
  };
}
