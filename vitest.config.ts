import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'examples/nextjs/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
