/**
 * The conformance run: replays every named scenario (and a few the CLI adds: foreign algs with a kid,
 * embedded keys, jku/x5u URLs it watches) against a running backend over real HTTP, checks CORS, and
 * compares each answer with the verdict engine's.
 *
 *   npm run conformance -- --base-url http://127.0.0.1:8000 --secret-env BETTER_AUTH_SECRET [options]
 *
 * Modules (src/cli/conformance/): options (flags, exit codes), http (requests with deadlines), compare
 * (expected against actual, severity), http-scenarios, cors, run, diagnosis, progress, report/* (text,
 * JSON, JUnit, GitHub). Exit codes: 0 agree, 1 mismatches, 2 bad options, 3 cannot judge.
 */
import { conformanceMain } from './conformance/main.ts';

process.exitCode = await conformanceMain(process.argv.slice(2));
