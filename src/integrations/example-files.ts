/**
 * The reference apps as the site serves them: every file of examples/nextjs and examples/fastapi that a
 * reader needs to run them (not this repository's own tests and tools), whole, and one .tar.gz per example.
 * The Examples pages render the same list, so what a page shows is what the archive holds.
 *   <outDir>/examples/<name>.tar.gz        the archive (extracts into <name>/)
 *   <outDir>/examples/<name>/<path>        each file, as it is
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { AstroIntegration } from 'astro';

export const EXAMPLES = ['nextjs', 'fastapi'] as const;
export type ExampleName = (typeof EXAMPLES)[number];

/** The project root: builds and tests run from it (this module is bundled at build time, so not import.meta.url). */
const ROOT = process.cwd();
/** What stays out of the download: this repository's own tests and tooling, and what an install creates. */
const LEFT_OUT = [/^tests\//, /^tools\//, /^vitest\.[^/]*$/, /^pytest\.ini$/, /(^|\/)node_modules\//, /(^|\/)\.venv\//, /(^|\/)\.next\//, /(^|\/)\.data\//, /(^|\/)__pycache__\//];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** The files of an example, relative to its folder, sorted: git's tracked files, or a walk of the folder without git. */
export function exampleFiles(name: ExampleName, root = ROOT): string[] {
  const dir = join(root, 'examples', name);
  let files: string[];
  try {
    files = execFileSync('git', ['ls-files', '-z', '--', '.'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\0')
      .filter(Boolean);
  } catch {
    files = [];
  }
  if (files.length === 0) files = walk(dir).map((path) => relative(dir, path));
  return files.filter((file) => !LEFT_OUT.some((pattern) => pattern.test(file))).sort();
}

export function readExampleFile(name: ExampleName, file: string, root = ROOT): string {
  return readFileSync(join(root, 'examples', name, file), 'utf8');
}

/** A ustar archive of the given files (fixed times and owners, so the same files always give the same bytes). */
export function tarArchive(entries: { path: string; content: Buffer }[]): Buffer {
  const blocks: Buffer[] = [];
  const octal = (value: number, length: number) => value.toString(8).padStart(length - 1, '0') + '\0';
  for (const { path, content } of entries) {
    const header = Buffer.alloc(512);
    let name = path;
    let prefix = '';
    if (Buffer.byteLength(name) > 100) {
      const cut = path.lastIndexOf('/', 154);
      prefix = path.slice(0, cut);
      name = path.slice(cut + 1);
    }
    if (Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155) throw new Error(`path too long for a tar archive: ${path}`);
    header.write(name, 0, 'utf8');
    header.write(octal(0o644, 8), 100);
    header.write(octal(0, 8), 108);
    header.write(octal(0, 8), 116);
    header.write(octal(content.length, 12), 124);
    header.write(octal(1767225600, 12), 136);
    header.write('        ', 148);
    header.write('0', 156);
    header.write('ustar\u000000', 257, 'binary');
    header.write(prefix, 345, 'utf8');
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(octal(sum, 7) + ' ', 148);
    blocks.push(header, content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** The example as a .tar.gz that extracts into a folder named after it. */
export function exampleArchive(name: ExampleName, root = ROOT): Buffer {
  const entries = exampleFiles(name, root).map((file) => ({
    path: `${name}/${file}`,
    content: readFileSync(join(root, 'examples', name, file)),
  }));
  return gzipSync(tarArchive(entries), { level: 9 });
}

export const archiveName = (name: ExampleName) => `bearer-contract-${name}.tar.gz`;

export default function exampleFilesIntegration(): AstroIntegration {
  return {
    name: 'bearer-contract:example-files',
    hooks: {
      'astro:build:done': ({ dir, logger }) => {
        const out = fileURLToPath(new URL('examples/', dir));
        for (const name of EXAMPLES) {
          const files = exampleFiles(name);
          for (const file of files) {
            const target = join(out, name, file);
            mkdirSync(dirname(target), { recursive: true });
            writeFileSync(target, readFileSync(join(ROOT, 'examples', name, file)));
          }
          const archive = exampleArchive(name);
          writeFileSync(join(out, archiveName(name)), archive);
          logger.info(`examples/${archiveName(name)}: ${files.length} files, ${(archive.length / 1024).toFixed(0)} KB`);
        }
      },
    },
  };
}
