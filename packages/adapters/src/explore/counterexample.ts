/**
 * A counterexample as files a person reads and a tool replays: `counterexample.md` (the
 * violations, the schedule, a Mermaid sequence diagram of the shrunk run), the JSON-lines trace,
 * and the schedule as JSON — the replay input (`pnpm explore --replay SEED:PATH`).
 *
 * Pure text in, text out; the CLI writes the files. `parseSchedule` validates a schedule read
 * back from disk and answers a specific error rather than running garbage.
 */
import { FAULT_PROFILES, type ExternalAction, type FaultProfile } from '@csta-bw/xsp-sim';
import type { Violation } from '../invariants.js';
import { describeSchedule, NODE_CHANGES, type NodeChange, type Schedule, type ScheduleStep } from '../schedule.js';
import { parseStartFact, type StartFact } from './startingWorld.js';
import type { TraceEntry } from '../trace.js';
import { renderMermaid } from '../trace.js';

export const COUNTEREXAMPLE_FILES = { markdown: 'counterexample.md', trace: 'trace.jsonl', schedule: 'schedule.json', original: 'original-schedule.json' } as const;

export function scheduleToJson(s: Schedule): string {
  return JSON.stringify(s, null, 2) + '\n';
}

export interface CounterexampleText {
  schedule: Schedule;
  violations: readonly Violation[];
  trace: readonly TraceEntry[];
  originalSteps: number;
  replayCommand: string;
}

export function counterexampleMarkdown(c: CounterexampleText): string {
  return [
    `# Counterexample — seed ${c.schedule.seed}, faults ${c.schedule.faults}`,
    '',
    `Shrunk from ${c.originalSteps} to ${c.schedule.steps.length} step(s). Replay: \`${c.replayCommand}\``,
    '',
    '## Violations',
    '',
    ...c.violations.map((v) => `- **${v.invariant}**: ${v.message}`),
    '',
    '## Schedule',
    '',
    'The world starts as the schedule\'s start facts say; every desk (desk-101…103) is monitored on link L1 first; then, after each wait, the step happens; then faults stop and the world runs until quiet.',
    '',
    '```',
    describeSchedule(c.schedule),
    '```',
    '',
    '## Sequence diagram (the shrunk run)',
    '',
    '```mermaid',
    renderMermaid([...c.trace], `seed ${c.schedule.seed} ${c.violations.map((v) => v.invariant).join(' ')}`).trimEnd(),
    '```',
    '',
  ].join('\n');
}

const EXTERNAL_FIELDS: Record<ExternalAction['kind'], Record<string, 'string' | 'boolean' | 'string?'>> = {
  portalAssociate: { guestUserId: 'string', hostUserId: 'string' },
  portalRelease: { guestUserId: 'string' },
  hostForceRelease: { hostUserId: 'string' },
  phoneSetAgentState: { userId: 'string', state: 'string' },
  setForwarding: { userId: 'string', active: 'boolean', forwardToPhoneNumber: 'string?' },
  phoneSetDoNotDisturb: { userId: 'string', active: 'boolean' },
  setRemoteOffice: { userId: 'string', active: 'boolean', remoteOfficeNumber: 'string?' },
  channelTerminate: {},
};
const AGENT_STATES = ['Sign-In', 'Available', 'Unavailable', 'Wrap-Up', 'Sign-Out'];

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function parseStep(x: unknown, i: number): ScheduleStep | { error: string } {
  const at = `steps[${i}]`;
  if (!isRecord(x)) return { error: `${at} is not an object` };
  if (typeof x.wait !== 'number' || !Number.isInteger(x.wait) || x.wait < 0) return { error: `${at}.wait must be a non-negative integer (ms)` };
  if (x.kind === 'request') {
    if (typeof x.link !== 'string' || x.link === '') return { error: `${at}.link must be a non-empty string` };
    if (!isRecord(x.request) || typeof x.request.service !== 'string') return { error: `${at}.request must be an object with a "service" string` };
    return x as unknown as ScheduleStep;
  }
  if (x.kind === 'external') {
    const a = x.action;
    if (!isRecord(a) || typeof a.kind !== 'string' || !Object.hasOwn(EXTERNAL_FIELDS, a.kind)) {
      return { error: `${at}.action.kind must be one of ${Object.keys(EXTERNAL_FIELDS).join(', ')}` };
    }
    for (const [field, type] of Object.entries(EXTERNAL_FIELDS[a.kind as ExternalAction['kind']])) {
      const v = a[field];
      if (type === 'string?' ? v !== undefined && typeof v !== 'string' : typeof v !== type) return { error: `${at}.action.${field} must be a ${type.replace('?', '')}` };
    }
    if (a.kind === 'phoneSetAgentState' && !AGENT_STATES.includes(a.state as string)) return { error: `${at}.action.state must be one of ${AGENT_STATES.join(', ')}` };
    return x as unknown as ScheduleStep;
  }
  if (x.kind === 'node') {
    if (typeof x.node !== 'number' || !Number.isInteger(x.node) || x.node < 0 || x.node > 15) return { error: `${at}.node must be an integer from 0 to 15` };
    if (!NODE_CHANGES.includes(x.change as NodeChange)) return { error: `${at}.change must be one of ${NODE_CHANGES.join(', ')}` };
    if (x.latencyMs !== undefined && (typeof x.latencyMs !== 'number' || !Number.isInteger(x.latencyMs) || x.latencyMs < 0 || x.latencyMs > 600_000)) return { error: `${at}.latencyMs must be an integer from 0 to 600000` };
    return x as unknown as ScheduleStep;
  }
  if (x.kind === 'crash') {
    if (typeof x.cut !== 'number' || !Number.isInteger(x.cut) || x.cut < 0 || x.cut > 1000) return { error: `${at}.cut must be an integer from 0 to 1000` };
    return x as unknown as ScheduleStep;
  }
  return { error: `${at}.kind must be "request", "external", "node" or "crash"` };
}

/** A schedule from JSON text, or what is wrong with it. */
export function parseSchedule(text: string): Schedule | { error: string } {
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch (e) {
    return { error: `not JSON: ${(e as Error).message}` };
  }
  if (!isRecord(x)) return { error: 'a schedule is a JSON object {seed, faults, start?, steps}' };
  if (typeof x.seed !== 'number' || !Number.isInteger(x.seed)) return { error: 'seed must be an integer' };
  if (typeof x.faults !== 'string' || !FAULT_PROFILES.includes(x.faults as FaultProfile)) return { error: `faults must be one of ${FAULT_PROFILES.join(', ')}` };
  if (!Array.isArray(x.steps)) return { error: 'steps must be an array' };
  const steps: ScheduleStep[] = [];
  for (const [i, st] of x.steps.entries()) {
    const p = parseStep(st, i);
    if ('error' in p) return p;
    steps.push(p);
  }
  if (x.nodes !== undefined && (typeof x.nodes !== 'number' || !Number.isInteger(x.nodes) || x.nodes < 1 || x.nodes > 16)) return { error: 'nodes must be an integer from 1 to 16' };
  const nodes = x.nodes === undefined ? {} : { nodes: x.nodes as number };
  if (x.start === undefined) return { seed: x.seed, faults: x.faults as FaultProfile, ...nodes, steps };
  if (!Array.isArray(x.start)) return { error: 'start must be an array of starting facts' };
  const start: StartFact[] = [];
  for (const [i, f] of x.start.entries()) {
    const p = parseStartFact(f, `start[${i}]`);
    if ('error' in p) return p;
    start.push(p);
  }
  return { seed: x.seed, faults: x.faults as FaultProfile, start, ...nodes, steps };
}

/** A trace as one readable line per message (what the terminal shows). */
export function traceText(entries: readonly TraceEntry[]): string {
  const arrow = { csta: 'CSTA', connector: 'connector', xsp: 'XSP' } as const;
  return entries.map((e) => {
    const args = Object.entries(e.args).filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${v === null ? 'nil' : typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' ');
    return `${String(e.seq).padStart(4)} ${String(e.at).padStart(9)}ms  ${arrow[e.from]} → ${arrow[e.to]}  ${e.msg}${args ? `  ${args}` : ''}`;
  }).join('\n') + (entries.length ? '\n' : '');
}
