/** What both command-line tools share: the usage error (exit code 2) and strict flag parsing. */
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';

/** A mistake in how the tool was called: it prints the message with its usage and exits with code 2. */
export class UsageError extends Error {}

/** Flags parsed strictly (unknown flags and positional arguments are refused); parsing errors become UsageErrors. */
export function parseFlags<const T extends ParseArgsOptionsConfig>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
