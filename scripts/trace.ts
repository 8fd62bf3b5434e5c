/**
 * pnpm trace [--scenario NAME] [--seed N] [--faults none|flaky|hostile] [--format jsonl|mermaid]
 * Runs a named scenario of core + simulator on virtual time and prints its trace (DESIGN §7).
 */
import { SCENARIOS, runScenario } from '@csta-bw/adapters';
import { parseArgs } from 'node:util';

const HELP = `Usage: pnpm trace [--scenario NAME] [--seed N] [--faults none|flaky|hostile] [--format jsonl|mermaid]

Runs a scenario of the connector against the simulated XSP on virtual time and prints every
message between the CSTA client, the connector and the XSP.

Scenarios:
${Object.entries(SCENARIOS).map(([n, s]) => `  ${n.padEnd(18)} ${s.description}`).join('\n')}

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

const world = runScenario(values.scenario!, { seed: Number(values.seed), faults: values.faults as 'none' | 'flaky' | 'hostile' });
const trace = world.trace!;
process.stdout.write(values.format === 'mermaid' ? trace.toMermaid(`csta-bw scenario ${values.scenario} (seed ${values.seed})`) : trace.toJsonLines());
