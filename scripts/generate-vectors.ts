/**
 * Writes public/vectors.json from the scenarios (npm run vectors).
 * With --check, writes nothing and fails when the file is missing or stale.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { buildVectors, serializeVectors } from '../src/contract/vectors.ts';

const target = new URL('../public/vectors.json', import.meta.url);
const file = await buildVectors(existsSync(target) ? JSON.parse(readFileSync(target, 'utf8')) : undefined);
const text = serializeVectors(file);
if (process.argv.includes('--check')) {
  if (!existsSync(target) || readFileSync(target, 'utf8') !== text) {
    console.error('public/vectors.json is stale: run `npm run vectors` and commit the result.');
    process.exit(1);
  }
  console.log(`public/vectors.json is up to date (${file.vectors.length} vectors).`);
} else {
  writeFileSync(target, text);
  console.log(`Wrote public/vectors.json: ${file.vectors.length} vectors, contract ${file.contract}, revision ${file.revision} (${file.generated}).`);
}
