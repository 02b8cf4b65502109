/**
 * npm run bench: median time of one verdict in Node, per kind of token (target: under 1 ms).
 * Prints a table; exits 1 when a median is over the budget.
 */
import { SCENARIOS, scenarioRequest, vectorContext } from '../src/contract/scenarios/index.ts';
import { verdict } from '../src/contract/verifier/verify.ts';

const BUDGET_MS = 1;
const ROUNDS = 2000;
const kinds = ['valid', 'expired', 'wrong-secret', 'two-segments', 'missing-role', 'long-garbage'];

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

let over = false;
const all: number[] = [];
console.log(`bench: median of ${ROUNDS} verdicts per token kind (Node ${process.versions.node})`);
for (const name of kinds) {
  const scenario = SCENARIOS.find((candidate) => candidate.name === name)!;
  const request = await scenarioRequest(scenario, vectorContext(scenario));
  for (let i = 0; i < 200; i++) await verdict(request); // warm up
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    await verdict(request);
    times.push(performance.now() - start);
  }
  all.push(...times);
  const value = median(times);
  over ||= value > BUDGET_MS;
  console.log(`  ${name.padEnd(16)} ${(value * 1000).toFixed(0).padStart(5)} µs`);
}
console.log(`  ${'all'.padEnd(16)} ${(median(all) * 1000).toFixed(0).padStart(5)} µs   (budget ${BUDGET_MS} ms)`);
if (over) {
  console.error('bench: a median is over budget');
  process.exit(1);
}
