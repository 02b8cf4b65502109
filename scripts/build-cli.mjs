/**
 * Bundles the CLI (src/cli/bearer-contract.ts: the conformance and verdict commands, jose included) into one
 * self-contained ESM file for Node 20 or later, and writes its SHA-256 next to it in `sha256sum -c` form.
 *   node scripts/build-cli.mjs [out-file]      default dist/bearer-contract.mjs
 * The site build runs the same through src/integrations/cli-bundle.ts (astro:build:done).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));

/**
 * @param {string} outFile where the bundle goes; `<outFile>.sha256` is written beside it
 * @returns {Promise<{ outFile: string, bytes: number, sha256: string }>}
 */
export async function buildCli(outFile) {
  const target = resolve(outFile);
  mkdirSync(dirname(target), { recursive: true });
  const version = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).version;
  await build({
    entryPoints: [resolve(root, 'src/cli/bearer-contract.ts')],
    outfile: target,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: `#!/usr/bin/env node\n// bearer-contract ${version}: conformance and verdict CLI (bundled with jose, MIT). Node 20 or later.` },
    legalComments: 'inline',
    logLevel: 'warning',
  });
  const bytes = readFileSync(target);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  writeFileSync(`${target}.sha256`, `${sha256}  ${basename(target)}\n`);
  return { outFile: target, bytes: bytes.length, sha256 };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await buildCli(process.argv[2] ?? resolve(root, 'dist/bearer-contract.mjs'));
  console.log(`build-cli: ${result.outFile} (${(result.bytes / 1024).toFixed(0)} KB, sha256 ${result.sha256})`);
}
