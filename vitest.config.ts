import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The same `~/` alias as tsconfig.json (Astro reads it from there; Vitest needs it spelled out).
  resolve: { alias: { '~/': fileURLToPath(new URL('./src/', import.meta.url)) } },
  test: {
    include: ['tests/unit/**/*.test.ts', 'examples/nextjs/**/*.test.ts'],
    testTimeout: 20_000,
    // Vitest's default (one worker fewer than the cores) is a single worker on a 2-core machine, and many files
    // here mostly wait (the CLI's tests run servers and child processes): two workers take 81 s down to 49 s.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
