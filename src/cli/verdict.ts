/**
 * The verdict CLI (npm run verdict): see src/cli/verdict/main.ts.
 *   npm run --silent verdict < request.json        one verdict request, or a JSON array of them, on stdin
 *   npm run verdict -- --token <jwt> [options]     a readable report for people
 */
import { verdictMain } from './verdict/main.ts';

process.exitCode = await verdictMain(process.argv.slice(2));
