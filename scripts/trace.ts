/**
 * pnpm trace [--scenario NAME] [--seed N] [--faults none|flaky|hostile] [--epoch ISO] [--format jsonl|mermaid]
 * Runs a named scenario of core + simulator on virtual time and prints its trace (DESIGN §7).
 * Dates in the trace are the epoch + virtual time; the default epoch is fixed (2025-01-01T00:00:00Z),
 * so the same arguments always print the same bytes.
 */
import { SCENARIOS, runScenario } from '@csta-bw/adapters';
import { parseArgs } from 'node:util';
import { parseEpoch } from './epoch.js';

const HELP = `Usage: pnpm trace [--scenario NAME] [--seed N] [--faults none|flaky|hostile] [--epoch ISO] [--format jsonl|mermaid]

Runs a scenario of the connector against the simulated XSP on virtual time and prints every
message between the CSTA client, the connector and the XSP.

Scenarios:
${Object.entries(SCENARIOS).map(([n, s]) => `  ${n.padEnd(18)} ${s.description}`).join('\n')}

--epoch ISO is the wall-clock instant of virtual time 0 (dates in the trace count from it),
e.g. 2025-06-30T09:00:00Z; the default is 2025-01-01T00:00:00Z, so a trace is reproducible.

Defaults: --scenario seed --seed 1 --faults none --format jsonl`;

function fail(message: string): never {
  process.stderr.write(`trace: ${message}\nRun "pnpm trace --help" for usage.\n`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      scenario: { type: 'string', default: 'seed' },
      seed: { type: 'string', default: '1' },
      faults: { type: 'string', default: 'none' },
      epoch: { type: 'string' },
      format: { type: 'string', default: 'jsonl' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }));
} catch (e) {
  fail((e as Error).message);
}
if (values.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}
if (!SCENARIOS[values.scenario!]) fail(`unknown scenario "${values.scenario}" (known: ${Object.keys(SCENARIOS).join(', ')})`);
if (!/^\d+$/.test(values.seed!)) fail(`--seed must be a non-negative integer, got "${values.seed}"`);
if (!['none', 'flaky', 'hostile'].includes(values.faults!)) fail(`--faults must be none, flaky or hostile, got "${values.faults}"`);
if (!['jsonl', 'mermaid'].includes(values.format!)) fail(`--format must be jsonl or mermaid, got "${values.format}"`);
const epoch = values.epoch === undefined ? undefined : parseEpoch(values.epoch);
if (typeof epoch === 'object') fail(epoch.error);

const world = runScenario(values.scenario!, {
  seed: Number(values.seed),
  faults: values.faults as 'none' | 'flaky' | 'hostile',
  ...(epoch !== undefined ? { epoch } : {}),
});
const trace = world.trace!;
process.stdout.write(values.format === 'mermaid' ? trace.toMermaid(`csta-bw scenario ${values.scenario} (seed ${values.seed})`) : trace.toJsonLines());
