import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The same `~/` alias as tsconfig.json (Astro reads it from there; Vitest needs it spelled out).
  resolve: { alias: { '~/': fileURLToPath(new URL('./src/', import.meta.url)) } },
  test: {
    include: ['tests/unit/**/*.test.ts', 'examples/nextjs/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
