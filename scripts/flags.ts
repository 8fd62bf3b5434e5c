/**
 * Command-line flags of the scripts (pnpm start, csta, sim, crashtest, explore): one way to read
 * them and to refuse a bad one. A bad flag prints `<script>: <what is wrong>` and then the usage
 * (or where to find it) on stderr and exits 2; `--help` prints the usage on stdout and exits 0.
 *
 * pnpm passes a literal `--` through (`pnpm start -- --csta-port 1041`), so `parseFlags` drops it
 * before node's strict parser sees it.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Refuse the command line: never returns. */
export type Fail = (message: string) => never;

/** `prefix: message`, a newline, then `after` (the usage, or a hint where it is), on stderr; exit 2. */
export function usageFailure(prefix: string, after: string): Fail {
  return (message) => {
    process.stderr.write(`${prefix}: ${message}\n${after}`);
    process.exit(2);
  };
}

/** Print `text` (the usage) and exit 0. */
export function printHelp(text: string): never {
  process.stdout.write(text);
  process.exit(0);
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** This process's flags, parsed strictly against `options`; an unknown or malformed flag fails. */
export function parseFlags<const O extends Options, const P extends boolean = false>(fail: Fail, options: O, allowPositionals?: P) {
  const config = { args: process.argv.slice(2).filter((a) => a !== '--'), strict: true as const, allowPositionals: (allowPositionals ?? false) as P, options };
  try {
    return parseArgs(config);
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
}

/** A whole-number flag in [min, max]; `fallback` when the flag is absent. */
export function wholeNumber(fail: Fail, value: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^[0-9]+$/.test(value) || Number(value) < min || Number(value) > max) fail(`${flag} must be a whole number ${min}–${max}, got "${value}"`);
  return Number(value);
}

/** A TCP port flag (0 = any free port); `fallback` when the flag is absent. */
export function portNumber(fail: Fail, value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^[0-9]+$/.test(value) || Number(value) > 65_535) fail(`${flag} must be a port number 0–65535, got "${value}"`);
  return Number(value);
}
