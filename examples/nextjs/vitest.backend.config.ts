// The live-backend tests (examples/nextjs/**/*.e2e.ts). They need the FastAPI example running and its URL in
// BACKEND_URL: `npm run test:backend` (scripts/backend-e2e.ts) starts it, runs them and stops it.
// tests/jwks.e2e.ts starts its own servers (the key-set way): it needs only the FastAPI virtualenv.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['examples/nextjs/**/*.e2e.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
