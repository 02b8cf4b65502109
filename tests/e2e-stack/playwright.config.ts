// The browser test of the whole chain (`npm test` runs it after `next build`): real Chromium against the
// stack that `npm run stack` starts (scripts/stack.mjs: FastAPI + the Next.js app with Better Auth), on
// spare ports, with a fresh database and a short token lifetime so the refresh before expiry can be seen.
// A second, short project ("chromium-jwks", stack-jwks.spec.ts) runs against a second stack started with
// TOKEN_SOURCE=jwt-plugin-jwks: Better Auth's JWT plugin as it ships, the API with AUTH_PROFILE=jwks and no secret.
// STACK_E2E_JWKS=0 leaves it (and its stack) out; `--project chromium-jwks` runs only it (both stacks still start).
//   playwright test --config tests/e2e-stack/playwright.config.ts
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '../../scripts/browser.mjs';

export const WEB_PORT = Number(process.env.STACK_E2E_WEB_PORT || 3917);
export const API_PORT = Number(process.env.STACK_E2E_API_PORT || 8917);
/** The key-set stack's ports (project chromium-jwks). */
export const JWKS_WEB_PORT = WEB_PORT + 1;
export const JWKS_API_PORT = API_PORT + 1;
const withJwks = process.env.STACK_E2E_JWKS !== '0';
const mainTokenSource = process.env.TOKEN_SOURCE || 'route';
if (mainTokenSource !== 'route' && mainTokenSource !== 'jwt-plugin') {
  throw new Error(`TOKEN_SOURCE=${mainTokenSource}: the main project tests an HS256 way (route or jwt-plugin); the key-set way is the chromium-jwks project (--project chromium-jwks)`);
}
/** exp = iat + 70: the client (60 s margin) fetches a new token once its token is 10 s old. */
export const TOKEN_LIFETIME_SECONDS = 70;

const root = fileURLToPath(new URL('../../', import.meta.url));

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  // Sign-up hashes a password (scrypt) and the app renders on demand: slow on two busy cores.
  expect: { timeout: 20_000 },
  forbidOnly: true,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL: `http://localhost:${WEB_PORT}`,
    launchOptions: chromiumLaunchOptions(),
  },
  projects: [
    // TOKEN_SOURCE picks the HS256 way of the main stack: route (default) or jwt-plugin.
    { name: 'chromium', testMatch: 'stack.spec.ts', use: { browserName: 'chromium' } },
    ...(withJwks
      ? [{ name: 'chromium-jwks', testMatch: 'stack-jwks.spec.ts', metadata: { apiPort: JWKS_API_PORT }, use: { browserName: 'chromium' as const, baseURL: `http://localhost:${JWKS_WEB_PORT}` } }]
      : []),
  ],
  // Playwright starts the stacks one after the other: the first one builds the app when needed, the second
  // finds the build up to date.
  webServer: [
    stack({ webPort: WEB_PORT, apiPort: API_PORT, tokenSource: mainTokenSource, database: 'stack.sqlite' }),
    ...(withJwks ? [stack({ webPort: JWKS_WEB_PORT, apiPort: JWKS_API_PORT, tokenSource: 'jwt-plugin-jwks', database: 'stack-jwks.sqlite' })] : []),
  ],
});

/** One `npm run stack` (scripts/stack.mjs) on the given ports, with a fresh database. */
function stack(options: { webPort: number; apiPort: number; tokenSource: string; database: string }) {
  return {
    // setup already ran (npm test's pretest); the build is reused when it is up to date.
    command: 'node scripts/stack.mjs --no-setup --fresh-database',
    cwd: root,
    env: {
      WEB_PORT: String(options.webPort),
      API_PORT: String(options.apiPort),
      DATABASE_PATH: `test-results/e2e-stack/${options.database}`,
      TOKEN_LIFETIME_SECONDS: String(TOKEN_LIFETIME_SECONDS),
      TOKEN_SOURCE: options.tokenSource,
      ADMIN_PASSWORD: 'test-only-admin-password',
    },
    url: `http://127.0.0.1:${options.webPort}/`,
    // Ready once the admin is seeded, not merely when the app answers.
    wait: { stdout: /\[stack\] ready/ },
    stdout: 'pipe' as const,
    reuseExistingServer: false,
    // A next build may come first when the sources changed.
    timeout: 180_000,
    // SIGTERM lets the stack script stop uvicorn and next itself.
    gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 10_000 },
  };
}
