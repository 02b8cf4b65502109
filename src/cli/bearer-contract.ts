/**
 * The single-file CLI: `node bearer-contract.mjs <command> [options]`, built by scripts/build-cli.mjs into one
 * self-contained ESM file (jose included, Node 20 or later, nothing to install) and published with the site.
 *   conformance   replay the contract's scenarios against a running backend (see --help)
 *   verdict       the answer the backend must give for a token or a verdict request (see --help)
 */
import { CONTRACT_VERSION } from '../contract/data/contract.ts';
import { conformanceMain } from './conformance/main.ts';
import { verdictMain } from './verdict/main.ts';

const USAGE = `bearer-contract (contract ${CONTRACT_VERSION}): the executable contract for stateless JWT auth
between Better Auth (Next.js) and FastAPI.

Usage:
  node bearer-contract.mjs conformance --base-url <url> [options]   test a running backend
  node bearer-contract.mjs verdict --token <jwt> [options]          what the backend must answer
  node bearer-contract.mjs verdict < request.json                   the same, as JSON
  node bearer-contract.mjs <command> --help                         the options of a command`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === 'conformance') return conformanceMain(args);
  if (command === 'verdict') return verdictMain(args);
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === 'version') {
    process.stdout.write(`${CONTRACT_VERSION}\n`);
    return 0;
  }
  process.stderr.write(`bearer-contract: unknown command "${command}"\n\n${USAGE}\n`);
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
