/**
 * npm run fuzz [-- --runs 100000 --seed 42]: feeds random and mutated tokens, headers and requests to the
 * verdict engine and checks every answer against the contract (see tests/support/properties.ts).
 */
import { UsageError, parseFlags } from '../src/cli/usage.ts';
import { checkEngine } from '../tests/support/properties.ts';

const USAGE = 'usage: npm run fuzz [-- --runs <positive integer> --seed <integer>]';
let runs: number;
let seed: number;
try {
  const values = parseFlags(process.argv.slice(2), { runs: { type: 'string', default: '100000' }, seed: { type: 'string' } });
  runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs <= 0) throw new UsageError(`--runs: "${values.runs}" is not a positive integer`);
  seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
  if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed: "${values.seed}" is not an integer`);
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`fuzz: ${error.message}\n${USAGE}`);
  process.exit(2);
}
const started = performance.now();
try {
  const { byCode } = await checkEngine(runs, seed);
  const seconds = (performance.now() - started) / 1000;
  console.log(`fuzz: ${runs.toLocaleString('en')} cases passed in ${seconds.toFixed(1)} s (seed ${seed}), no exception, every answer a contract outcome.`);
  for (const [code, count] of Object.entries(byCode).sort((a, b) => b[1] - a[1])) console.log(`  ${code.padEnd(24)} ${count}`);
} catch (error) {
  console.error(`fuzz: FAILED with seed ${seed}\n${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
