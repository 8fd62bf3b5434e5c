/**
 * `pnpm bench:against -- --rev REV` (or `--old DIR`) — the connector's replay throughput of this
 * tree next to an older build's, side by side in one process (issue 14: "within 10 % of today's,
 * measured side by side in one run with the old build").
 *
 * Theory of operation
 * -------------------
 * Two runs of `pnpm bench:core` a minute apart on a shared 2-core machine differ by more than
 * the 10 % being judged, so both builds run in this one process, their rounds interleaved (old,
 * new, old, new …): whatever else the machine does falls on both alike.
 *
 *   old build   a checkout of the older revision, installed and built: `--old DIR`, or `--rev REV`,
 *               which makes one (`git worktree add` under the OS temp dir, `pnpm install --offline
 *               --frozen-lockfile`, `pnpm build`; kept for the next run).
 *   each side   its own scripts/bench-core.ts — its own VirtualWorld records its own inputs (the
 *               input shapes of the two builds may differ), and its own `benchReplay` replays them
 *               into its own `step`. Both load their packages' built JavaScript, as `pnpm bench`.
 *   figure      the median of each side's rounds, and new ÷ old. `--limit R` exits 1 below R.
 *
 *   pnpm bench:against -- --rev a1b067c [--rounds 8] [--limit 0.9]
 *   pnpm bench:against -- --old /path/to/built/checkout
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseFlags, printHelp, usageFailure, wholeNumber } from './flags.js';
import * as ours from './bench-core.js';

const USAGE = `usage: pnpm bench:against -- (--rev REV | --old DIR) [--rounds N] [--limit R]
  --rev REV     a git revision of this repository: checked out under ${tmpdir()}, installed, built
  --old DIR     an older checkout, already installed and built (pnpm install && pnpm build)
  --rounds N    interleaved rounds per build (default 8; each is 3 timed replays of 30 runs)
  --limit R     exit 1 when new ÷ old is below R (e.g. 0.9: "within 10 %")
`;

type BenchCore = Pick<typeof ours, 'recordInputs' | 'benchReplay'>;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** A checkout of `rev` under the temp dir, installed and built (made once, then reused). */
function checkout(rev: string, fail: (m: string) => never): string {
  const repo = resolve(import.meta.dirname, '..');
  let commit: string;
  try {
    commit = execFileSync('git', ['rev-parse', '--verify', `${rev}^{commit}`], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    return fail(`--rev ${rev} names no commit of this repository`);
  }
  const dir = join(tmpdir(), `csta-bw-bench-${commit.slice(0, 12)}`);
  if (!existsSync(join(dir, 'packages', 'core', 'dist'))) {
    const run = (cmd: string, args: string[], cwd: string) => {
      process.stderr.write(`bench:against: ${cmd} ${args.join(' ')}\n`);
      execFileSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
    };
    if (!existsSync(dir)) run('git', ['worktree', 'add', '--detach', dir, commit], repo);
    run('pnpm', ['install', '--offline', '--frozen-lockfile'], dir);
    run('pnpm', ['build'], dir);
  }
  return dir;
}

/** The older build's bench-core, or a clear refusal when `dir` is no built checkout. */
async function loadOld(dir: string, fail: (m: string) => never): Promise<BenchCore> {
  const file = join(dir, 'scripts', 'bench-core.ts');
  if (!existsSync(file)) return fail(`${dir} has no scripts/bench-core.ts: not a checkout of csta-bw`);
  if (!existsSync(join(dir, 'packages', 'core', 'dist'))) return fail(`${dir} is not built: run pnpm install && pnpm build there`);
  const mod = (await import(pathToFileURL(file).href)) as Partial<BenchCore>;
  if (typeof mod.recordInputs !== 'function' || typeof mod.benchReplay !== 'function') {
    return fail(`${file} exports no recordInputs/benchReplay: that revision predates the replay bench`);
  }
  return mod as BenchCore;
}

export interface Against { old: number[]; new: number[]; ratio: number }

/** `rounds` interleaved rounds of each build's replay (3 timed replays of 30 runs each). */
export function interleave(old: BenchCore, mine: BenchCore, rounds: number, perRound = 30, timed = 3): Against {
  const recOld = old.recordInputs();
  const recNew = mine.recordInputs();
  const o: number[] = [];
  const n: number[] = [];
  for (let r = 0; r < rounds; r++) {
    o.push(old.benchReplay(recOld, perRound, timed).perSecond);
    n.push(mine.benchReplay(recNew, perRound, timed).perSecond);
  }
  return { old: o, new: n, ratio: median(n) / median(o) };
}

async function main(): Promise<void> {
  const fail = usageFailure('bench:against', USAGE);
  const { values } = parseFlags(fail, {
    rev: { type: 'string' }, old: { type: 'string' }, rounds: { type: 'string' }, limit: { type: 'string' }, help: { type: 'boolean' },
  });
  if (values.help) printHelp(USAGE);
  if ((values.rev === undefined) === (values.old === undefined)) fail('give exactly one of --rev REV and --old DIR');
  const rounds = wholeNumber(fail, values.rounds, '--rounds', 8, 1, 100);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(limit > 0 && limit <= 10)) fail(`--limit must be a ratio such as 0.9, got "${values.limit}"`);
  const dir = values.old !== undefined ? resolve(values.old) : checkout(values.rev!, fail);
  const old = await loadOld(dir, fail);
  const a = interleave(old, ours, rounds);
  console.log(`bench:against — connector replay inputs/s, ${rounds} interleaved rounds per build in one process (node ${process.version})`);
  console.log(`  old (${dir}): ${a.old.map(fmt).join(' ')}`);
  console.log(`  new (this tree): ${a.new.map(fmt).join(' ')}`);
  console.log(`  median old ${fmt(median(a.old))} · new ${fmt(median(a.new))} · new ÷ old ${a.ratio.toFixed(3)}`);
  if (limit !== undefined && a.ratio < limit) {
    console.error(`  new ÷ old ${a.ratio.toFixed(3)} is below --limit ${limit}`);
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
