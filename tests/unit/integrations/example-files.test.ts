import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, exampleArchive, exampleFiles, tarArchive } from '../../../src/integrations/example-files.ts';

const root = new URL('../../../', import.meta.url);

describe('the examples the site serves', () => {
  for (const name of EXAMPLES) {
    it(`${name}: the archive extracts with tar into ${name}/, byte for byte the listed files`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'example-'));
      writeFileSync(join(dir, 'archive.tar.gz'), exampleArchive(name));
      execFileSync('tar', ['-xzf', 'archive.tar.gz'], { cwd: dir });
      const listed = execFileSync('tar', ['-tzf', 'archive.tar.gz'], { cwd: dir, encoding: 'utf8' }).trim().split('\n');
      const files = exampleFiles(name);
      expect(listed).toEqual(files.map((file) => `${name}/${file}`));
      for (const file of files) {
        expect(readFileSync(join(dir, name, file)).equals(readFileSync(new URL(`examples/${name}/${file}`, root))), file).toBe(true);
      }
    });
  }

  it('holds what a reader runs, not this repository\'s own tests and tools', () => {
    expect(exampleFiles('nextjs')).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'app/page.tsx', 'lib/api-client.ts', 'app/api/token/route.ts']));
    expect(exampleFiles('fastapi')).toEqual(expect.arrayContaining(['app.py', 'verifier.py', 'dependency.py', 'settings.py', 'requirements.txt']));
    for (const name of EXAMPLES) {
      expect(exampleFiles(name).filter((file) => /^(tests|tools)\/|node_modules|\.venv|^\.next\//.test(file)), name).toEqual([]);
    }
  });

  it('is the same bytes every time (fixed times and owners)', () => {
    expect(exampleArchive('fastapi').equals(exampleArchive('fastapi'))).toBe(true);
  });

  it('keeps long paths in the ustar prefix field', () => {
    const path = `${'a'.repeat(60)}/${'b'.repeat(60)}/file.txt`;
    const dir = mkdtempSync(join(tmpdir(), 'tar-'));
    writeFileSync(join(dir, 'long.tar'), tarArchive([{ path, content: Buffer.from('hello') }]));
    expect(execFileSync('tar', ['-tf', 'long.tar'], { cwd: dir, encoding: 'utf8' }).trim()).toBe(path);
  });
});
