/**
 * pnpm explore — the protocol verifier's front end (issue 5). A thin shell over the sans-IO
 * explorer in packages/adapters/src/explore: it owns the clock (--time), the terminal (progress
 * on stderr, results on stdout) and the files (--out). See docs/explore.md.
 *
 * Exit codes: 0 clean · 1 a violation, or a "sometimes" target never reached · 2 bad usage or
 * input · 3 a replay that did not reproduce the recorded trace byte for byte.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  COUNTEREXAMPLE_FILES, EXHAUSTIVE_FAULTS, EXPLORE_SCENARIOS, Exploration, wireTargets, counterexampleMarkdown, describeSchedule,
  exploreExhaustively, isScenarioName, isWorldKind, parseSchedule, requiredTargets, runnerOf, scheduleToJson, shrinkCounterexample,
  traceText, type ScenarioName, type Schedule, type ScheduleRun, type WorldKind,
} from '@csta-bw/adapters';
import type { FaultProfile } from '@csta-bw/xsp-sim';
import { printHelp, usageFailure, type Fail } from './flags.js';

const DEFAULT_RUNS = 1000;
const DEFAULT_DEPTH = 4;

const HELP = `Usage: pnpm explore [--runs N | --time 60s] [--seed S] [--faults none|flaky|hostile]
                    [--scenario NAME] [--world virtual|wire] [--out DIR]
       pnpm explore --replay SEED:PATH [--world virtual|wire] [--out DIR]
       pnpm explore --exhaustive [--depth K] [--time 5m]

Runs random schedules of the connector against the simulated XSP on virtual time (several CSTA
clients on shared desks and agents, external actors, the fault profile) and checks every
invariant of DESIGN §5 on each. On a violation it prints the seed, shrinks the schedule, prints
the shrunk trace, writes DIR/counterexample.md (Mermaid sequence diagram), DIR/trace.jsonl and
DIR/schedule.json, and exits 1. A clean exploration of the default length must reach every
"sometimes" target (each fault kind, each saga branch), or it exits 1 naming the missing ones.

Options:
  --runs N            number of schedules (default ${DEFAULT_RUNS}, the "default length")
  --time T            explore for a wall-clock time instead: 60s, 5m, 1500ms (exhaustive: a budget)
  --seed S            exploration seed, 0…4294967295 (default: drawn at random and printed)
  --faults P          none | flaky | hostile (default hostile)
  --scenario NAME     the shape of the schedules (default mixed):
${Object.entries(EXPLORE_SCENARIOS).map(([n, s]) => `                        ${n.padEnd(9)} ${s.description}`).join('\n')}
  --world W           virtual (default): the connector bound in-process to the simulator's model;
                      wire: the same on real bytes — CSTA frames through the link machine, Xsi as
                      HTTP text, the event stream chunked and acked by real eventresponse POSTs —
                      and the wire invariants W1–W5 judged too (docs/explore.md)
  --out DIR           where counterexample files go (default explore-out)
  --replay SEED:PATH  re-run the schedule in PATH (a schedule.json written by a failing run) with
                      simulator seed SEED, print its trace, and check it against PATH's trace.jsonl
  --exhaustive        enumerate every interleaving of a small world (2 hosts, 2 guests, 1 external
                      actor, one fault of each kind: ${EXHAUSTIVE_FAULTS.join(', ')})
  --depth K           exhaustive depth (default ${DEFAULT_DEPTH})
  -h, --help          this text`;

const fail: Fail = usageFailure('explore', 'Run "pnpm explore --help" for usage.\n');

function parse() {
  try {
    return parseArgs({
      options: {
        runs: { type: 'string' },
        time: { type: 'string' },
        seed: { type: 'string' },
        faults: { type: 'string', default: 'hostile' },
        scenario: { type: 'string', default: 'mixed' },
        world: { type: 'string', default: 'virtual' },
        replay: { type: 'string' },
        out: { type: 'string', default: 'explore-out' },
        exhaustive: { type: 'boolean', default: false },
        depth: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    return fail((e as Error).message);
  }
}
const values = parse();
if (values.help) printHelp(`${HELP}\n`);

/** "60s" / "5m" / "1500ms" / "90" (seconds) → ms. */
function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h']);
  return n > 0 && Number.isFinite(n) ? n : undefined;
}
const positiveInt = (flag: string, text: string, max = 1e9): number => {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) fail(`${flag} must be an integer 1…${max}, got "${text}"`);
  return Number(text);
};

if (values.runs !== undefined && values.time !== undefined) fail('--runs and --time exclude each other');
const runs = values.runs === undefined ? undefined : positiveInt('--runs', values.runs);
const timeMs = values.time === undefined ? undefined : parseDuration(values.time) ?? fail(`--time must look like 60s, 5m or 1500ms, got "${values.time}"`);
if (values.seed !== undefined && (!/^\d+$/.test(values.seed) || Number(values.seed) > 0xffff_ffff)) fail(`--seed must be an integer 0…4294967295, got "${values.seed}"`);
const seed = values.seed === undefined ? Math.floor(Math.random() * 0xffff_ffff) : Number(values.seed);
if (!['none', 'flaky', 'hostile'].includes(values.faults!)) fail(`--faults must be none, flaky or hostile, got "${values.faults}"`);
const faults = values.faults as FaultProfile;
const scenarioText = values.scenario!;
if (!isScenarioName(scenarioText)) fail(`unknown scenario "${scenarioText}" (known: ${Object.keys(EXPLORE_SCENARIOS).join(', ')})`);
const scenario: ScenarioName = scenarioText;
if (values.depth !== undefined && !values.exhaustive) fail('--depth only goes with --exhaustive');
if (values.exhaustive && (values.replay !== undefined || values.runs !== undefined)) fail('--exhaustive takes only --depth and --time');
if (values.replay !== undefined && (values.runs !== undefined || values.time !== undefined)) fail('--replay takes no --runs or --time');
if (!isWorldKind(values.world!)) fail(`--world must be virtual or wire, got "${values.world}"`);
const world: WorldKind = values.world as WorldKind;
if (values.exhaustive && world !== 'virtual') fail('--exhaustive branches the virtual world only; --world wire goes with random exploration or --replay');
const run = runnerOf(world);
/** What a replay command needs to say to run in the same world. */
const worldFlag = world === 'wire' ? ' --world wire' : '';
const out = values.out!;

const stderrIsTty = process.stderr.isTTY === true;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

// ---- --replay SEED:PATH ---------------------------------------------------------------------

function replay(spec: string): never {
  const m = /^(\d+):(.+)$/.exec(spec);
  if (!m) fail(`--replay wants SEED:PATH (e.g. 1234:explore-out/schedule.json), got "${spec}"`);
  const path = m[2]!;
  if (!existsSync(path)) fail(`--replay: no such file ${path}`);
  const parsed = parseSchedule(readFileSync(path, 'utf8'));
  if ('error' in parsed) fail(`--replay: ${path}: ${parsed.error}`);
  const replaySeed = Number(m[1]);
  if (replaySeed !== parsed.seed) process.stderr.write(`explore: note: ${path} was recorded with seed ${parsed.seed}; replaying with seed ${replaySeed}\n`);
  const schedule: Schedule = { ...parsed, seed: replaySeed };
  const replayed = run(schedule);
  const trace = replayed.world.trace!.toJsonLines();
  // I8 in passing: the same schedule twice in this process gives the same bytes.
  if (run(schedule).world.trace!.toJsonLines() !== trace) {
    process.stderr.write('explore: replay is not deterministic: two runs of the same schedule gave different traces (I8)\n');
    process.exit(3);
  }
  process.stdout.write(`${describeSchedule(schedule)}\n\n${traceText(replayed.world.trace!.entries)}\n`);
  const recorded = join(dirname(path), COUNTEREXAMPLE_FILES.trace);
  if (existsSync(recorded) && replaySeed === parsed.seed) {
    const before = readFileSync(recorded, 'utf8');
    if (before !== trace) {
      const a = before.split('\n');
      const b = trace.split('\n');
      const i = a.findIndex((line, k) => line !== b[k]);
      process.stderr.write(`explore: replay differs from ${recorded} at line ${i + 1}:\n  recorded: ${a[i]}\n  replayed: ${b[i]}\n`);
      process.exit(3);
    }
    process.stdout.write(`replay: trace identical to ${recorded} byte for byte (${trace.split('\n').length - 1} lines, ${trace.length} bytes, sha256 ${sha(trace)})\n`);
  } else {
    process.stdout.write(`replay: ${trace.split('\n').length - 1} trace lines, sha256 ${sha(trace)} (no recorded trace to compare with)\n`);
  }
  reportViolations(replayed);
  process.exit(replayed.violations.length ? 1 : 0);
}

function reportViolations(run: ScheduleRun): void {
  if (run.violations.length === 0) {
    process.stdout.write('no violation\n');
    return;
  }
  process.stdout.write(`${run.violations.length} violation(s):\n${run.violations.map((v) => `  ${v.invariant}: ${v.message}`).join('\n')}\n`);
}

// ---- --exhaustive --depth K -----------------------------------------------------------------

function exhaustive(): never {
  const depth = values.depth === undefined ? DEFAULT_DEPTH : positiveInt('--depth', values.depth, 50);
  const started = performance.now();
  let lastDraw = 0;
  process.stderr.write(`explore: exhaustive, depth ${depth}, small world (2 hosts, 2 guests, 1 external actor, faults ${EXHAUSTIVE_FAULTS.join(' ')})\n`);
  const result = exploreExhaustively({
    depth,
    onProgress: (p) => {
      const now = performance.now();
      if (now - lastDraw > (stderrIsTty ? 250 : 10_000)) {
        lastDraw = now;
        const line = `depth ${p.depth}/${depth} · ${fmt(p.states)} states · ${fmt(p.transitions)} transitions · ${((now - started) / 1000).toFixed(1)} s`;
        process.stderr.write(stderrIsTty ? `\r${line}\x1b[K` : `${line}\n`);
      }
      return timeMs !== undefined && now - started > timeMs;
    },
  });
  const secs = (performance.now() - started) / 1000;
  if (stderrIsTty) process.stderr.write('\r\x1b[K');
  process.stdout.write([
    `exhaustive depth ${depth}: ${result.complete ? 'complete' : `STOPPED at depth ${result.depth} (time budget)`}`,
    `  distinct states  ${fmt(result.states)}   (per depth: ${result.perDepth.join(', ')})`,
    `  transitions      ${fmt(result.transitions)}   (${fmt(result.duplicates)} reached an already-seen state)`,
    `  time             ${secs.toFixed(1)} s   (${fmt(result.transitions / secs)} transitions/s)`,
    `  violations       ${result.counterexample ? result.counterexample.violations.length : 0}`,
  ].join('\n') + '\n');
  if (result.counterexample) {
    process.stdout.write(`counterexample path: ${result.counterexample.path.join(' → ')}\n`);
    for (const v of result.counterexample.violations) process.stdout.write(`  ${v.invariant}: ${v.message}\n`);
    process.exit(1);
  }
  process.exit(result.complete ? 0 : 1);
}

// ---- random exploration ---------------------------------------------------------------------

function explore(): never {
  const exploration = new Exploration({ seed, faults, scenario, world });
  const limitRuns = timeMs === undefined ? runs ?? DEFAULT_RUNS : Infinity;
  process.stderr.write(`explore: seed ${seed}, faults ${faults}, scenario ${scenario}, world ${world}, ${timeMs === undefined ? `${limitRuns} runs` : `${values.time}`} (repeat with --seed ${seed})\n`);
  const started = performance.now();
  let lastDraw = 0;
  const cov = exploration.coverage;
  const progress = (force: boolean) => {
    const now = performance.now();
    if (!force && now - lastDraw < (stderrIsTty ? 200 : 10_000)) return;
    lastDraw = now;
    const secs = (now - started) / 1000;
    const share = timeMs !== undefined ? (now - started) / timeMs : cov.runs / limitRuns;
    const bar = '#'.repeat(Math.min(20, Math.floor(share * 20))).padEnd(20, '.');
    const line = `[${bar}] ${fmt(cov.runs)} runs · ${fmt(cov.runs / Math.max(secs, 1e-3))} runs/s · ${fmt(cov.invariantChecks)} invariant checks · ${fmt(cov.states.size)} distinct states`;
    process.stderr.write(stderrIsTty ? `\r${line}\x1b[K` : `${line}\n`);
  };
  for (;;) {
    if (cov.runs >= limitRuns || (timeMs !== undefined && performance.now() - started >= timeMs)) break;
    let outcome;
    try {
      outcome = exploration.next();
    } catch (e) {
      // The core promises never to throw (DESIGN §2); if a run does, that is the finding.
      mkdirSync(out, { recursive: true });
      const path = join(out, COUNTEREXAMPLE_FILES.original);
      const runSeedOf = exploration.lastSchedule?.seed;
      if (exploration.lastSchedule) writeFileSync(path, scheduleToJson(exploration.lastSchedule));
      process.stdout.write(`\nRUN THREW (run seed ${runSeedOf}): ${(e as Error).stack ?? String(e)}\nschedule: ${path} — replay: pnpm explore --replay ${runSeedOf}:${path}${worldFlag}\n`);
      process.exit(1);
    }
    progress(false);
    if (outcome.run.violations.length > 0) {
      if (stderrIsTty) process.stderr.write('\n');
      counterexample(outcome.schedule, outcome.run, outcome.index, { runs: cov.runs, secs: (performance.now() - started) / 1000, checks: cov.invariantChecks, states: cov.states.size });
    }
  }
  progress(true);
  if (stderrIsTty) process.stderr.write('\n');
  const secs = (performance.now() - started) / 1000;
  const required = scenario === 'mixed' || scenario === 'failover' ? [...requiredTargets(faults, scenario), ...(world === 'wire' ? wireTargets(faults) : [])] : [];
  const missing = cov.missing(required);
  const fullLength = cov.runs >= DEFAULT_RUNS;
  process.stdout.write([
    `explored ${fmt(cov.runs)} schedules in ${secs.toFixed(1)} s (${fmt(cov.runs / secs)} runs/s), seed ${seed}, faults ${faults}, scenario ${scenario}, world ${world}`,
    `  invariant checks  ${fmt(cov.invariantChecks)} (I1–I7, I9–I12${world === 'wire' ? ', W1–W5' : ''}), violations 0`,
    `  distinct states   ${fmt(cov.states.size)} (connector × simulator)`,
    `  sometimes         ${[...cov.reached.entries()].sort().map(([t, n]) => `${t} ${fmt(n)}`).join(' · ') || 'nothing'}`,
  ].join('\n') + '\n');
  if (scenario !== 'mixed') {
    process.stdout.write('  (sometimes checks apply to the mixed scenario only)\n');
    process.exit(0);
  }
  if (missing.length === 0) {
    process.stdout.write(`  every sometimes target reached (${required.length})\n`);
    process.exit(0);
  }
  if (!fullLength) {
    process.stdout.write(`  not reached in ${fmt(cov.runs)} runs (checked only from ${DEFAULT_RUNS} runs on): ${missing.join(', ')}\n`);
    process.exit(0);
  }
  process.stdout.write(`  FAILED: never reached in ${fmt(cov.runs)} runs: ${missing.join(', ')}\n`);
  process.exit(1);
}

function counterexample(schedule: Schedule, found: ScheduleRun, index: number, stats?: { runs: number; secs: number; checks: number; states: number }): never {
  mkdirSync(out, { recursive: true });
  const original = join(out, COUNTEREXAMPLE_FILES.original);
  writeFileSync(original, scheduleToJson(schedule));
  process.stdout.write(`VIOLATION in run #${index + 1} (run seed ${schedule.seed}, exploration seed ${seed}):\n`);
  if (stats) process.stdout.write(`  found after ${fmt(stats.runs)} runs in ${stats.secs.toFixed(1)} s (${fmt(stats.runs / stats.secs)} runs/s), ${fmt(stats.checks)} invariant checks, ${fmt(stats.states)} distinct states\n`);
  for (const v of found.violations) process.stdout.write(`  ${v.invariant}: ${v.message}\n`);
  process.stdout.write(`original schedule (${schedule.steps.length} steps): ${original}  — replay: pnpm explore --replay ${schedule.seed}:${original}${worldFlag}\n`);
  process.stderr.write('shrinking…\n');
  const shrunk = shrinkCounterexample(schedule, found.violations, undefined, world);
  const final = run(shrunk.schedule);
  const schedulePath = join(out, COUNTEREXAMPLE_FILES.schedule);
  const replayCommand = `pnpm explore --replay ${shrunk.schedule.seed}:${schedulePath}${worldFlag}`;
  writeFileSync(schedulePath, scheduleToJson(shrunk.schedule));
  writeFileSync(join(out, COUNTEREXAMPLE_FILES.trace), final.world.trace!.toJsonLines());
  writeFileSync(join(out, COUNTEREXAMPLE_FILES.markdown), counterexampleMarkdown({
    schedule: shrunk.schedule, violations: final.violations, trace: final.world.trace!.entries, originalSteps: schedule.steps.length, replayCommand,
  }));
  process.stdout.write([
    `shrunk ${schedule.steps.length} → ${shrunk.schedule.steps.length} steps (${shrunk.tried} candidates tried, ${shrunk.accepted} kept):`,
    describeSchedule(shrunk.schedule),
    '',
    'shrunk trace:',
    traceText(final.world.trace!.entries),
    'violations of the shrunk run:',
    ...final.violations.map((v) => `  ${v.invariant}: ${v.message}`),
    '',
    `wrote ${join(out, COUNTEREXAMPLE_FILES.markdown)} (Mermaid sequence diagram), ${join(out, COUNTEREXAMPLE_FILES.trace)}, ${schedulePath}`,
    `replay: ${replayCommand}`,
  ].join('\n') + '\n');
  process.exit(1);
}

if (values.replay !== undefined) replay(values.replay);
if (values.exhaustive) exhaustive();
explore();
