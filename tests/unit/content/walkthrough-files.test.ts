// The walkthrough's "Adding the files to your own apps" lists what to copy. Copying exactly those files must
// give code whose every local import is there too: a reader who follows the list is never missing a file.
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleFiles } from '../../../src/integrations/example-files.ts';

const root = new URL('../../../', import.meta.url);
const page = readFileSync(new URL('content/docs/start/walkthrough.mdx', root), 'utf8');
const section = page.slice(page.indexOf('## Adding the files to your own apps'));

/** The backticked paths of the list item that starts with **<label>**. */
function listed(label: string): string[] {
  const item = section.split('\n- ').find((entry) => entry.startsWith(`**${label}**`));
  if (!item) throw new Error(`no list item for ${label}`);
  return [...item.matchAll(/`([\w.[\]/-]+\.(?:ts|tsx|py|txt))`/g)].map((match) => match[1]!);
}

function tsImports(file: string, text: string): string[] {
  return [...text.matchAll(/from '(\.{1,2}\/[^']+|@\/[^']+)'/g)].map((match) => {
    const spec = match[1]!;
    const path = spec.startsWith('@/') ? spec.slice(2) : normalize(join(dirname(file), spec));
    return /\.tsx?$/.test(path) ? path : `${path}.ts`;
  });
}

function pyImports(text: string, modules: Set<string>): string[] {
  const names = [...text.matchAll(/^(?:from (\w+) import|import (\w+))/gm)].map((match) => match[1] ?? match[2]!);
  return names.filter((name) => modules.has(name)).map((name) => `${name}.py`);
}

describe('the files the walkthrough tells you to copy', () => {
  it('Next.js: every local import of a listed file is listed too', () => {
    const files = listed('Next.js');
    expect(files.length).toBeGreaterThan(5);
    const available = new Set(exampleFiles('nextjs'));
    for (const file of files) {
      expect(available.has(file), `${file} is a file of the example`).toBe(true);
      for (const imported of tsImports(file, readFileSync(new URL(`examples/nextjs/${file}`, root), 'utf8'))) {
        expect(files, `${file} imports ${imported}`).toContain(imported);
      }
    }
  });

  it('FastAPI: every local module a listed file imports is listed too (app.py\'s routes included)', () => {
    const files = listed('FastAPI');
    const available = exampleFiles('fastapi');
    const modules = new Set(available.filter((file) => file.endsWith('.py') && !file.includes('/')).map((file) => file.slice(0, -3)));
    for (const file of files) {
      expect(available, `${file} is a file of the example`).toContain(file);
      if (!file.endsWith('.py')) continue;
      for (const imported of pyImports(readFileSync(new URL(`examples/fastapi/${file}`, root), 'utf8'), modules)) {
        expect(files, `${file} imports ${imported}`).toContain(imported);
      }
    }
  });
});
