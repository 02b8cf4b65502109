/**
 * Publishes the single-file CLI with the site: after the build, bundles src/cli/bearer-contract.ts (with
 * jose, for Node 20 or later) into `<outDir>/bearer-contract.mjs` and writes `bearer-contract.mjs.sha256`
 * beside it, so anyone can `curl -O` it, check it with `sha256sum -c` and run it without a clone.
 */
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { buildCli } from '../../scripts/build-cli.mjs';

export const CLI_FILE = 'bearer-contract.mjs';

export default function cliBundle(): AstroIntegration {
  return {
    name: 'bearer-contract:cli-bundle',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const result = await buildCli(fileURLToPath(new URL(CLI_FILE, dir)));
        logger.info(`${CLI_FILE}: ${(result.bytes / 1024).toFixed(0)} KB, sha256 ${result.sha256}`);
      },
    },
  };
}
