/**
 * A compiled evaluator for the part of XState our saga machines use — the engine behind
 * `runner.ts`. The machines stay plain XState (`setup().createMachine()`); this file reads XState's
 * own normalised state-node graph once per machine and then steps it without building actors or
 * snapshots.
 *
 * Theory of operation
 * -------------------
 * XState's public `transition()` is general (parallel states, history, invoked and spawned actors,
 * internal event queues); a saga needs none of it, and paying for it made XState most of the
 * connector's time per input. `compile` checks that a machine stays inside the subset below —
 * anything else throws when this module loads, so a saga can never silently diverge — and
 * `initial` / `next` / `can` follow XState v5's algorithm for that subset, step by step:
 *
 *   subset     compound and atomic states; final states only directly under the root; `on`
 *              transitions (child before parent, first passing guard wins) with or without a
 *              target; `always` transitions with a target; named actions: `assign` (applied at
 *              once, later actions see the new context) or anything else (collected as
 *              `{ type, params }` for the connector to carry out); named guards; `params` as
 *              a value or a function of `{ context, event }`; a root `output`.
 *   microstep  exit the active states below the transition's domain (deepest first), run the
 *              transition's actions, enter from the domain down to the target and its initial
 *              descendants (entry actions, outermost first); a final state under the root ends
 *              the machine and its output is computed.
 *   macrostep  the event's microstep, then `always` transitions until none is enabled.
 *
 * A saga persisted in a final state is `done`, but — as in XState — the root's `on` transitions
 * still apply to it (its status stays `done`; `runner.ts` never feeds a finished saga).
 *
 * Known, deliberate differences: machine functions get `{ context, event }` (assign, guards,
 * params), `{ input }` (context) and `{ context, event }` (output) — no `self`, `spawn` or
 * `system`; and a function that throws throws here, where XState would return status `error`.
 * The saga machines use none of those and their functions are total.
 *
 * `test/connector/sagas/runner.test.ts` checks the result against `initialTransition` /
 * `transition` / `snapshot.can` on random inputs and event sequences, finished sagas included.
 */
import type { AnyStateMachine } from 'xstate';

export interface ChartEvent { type: string; [field: string]: unknown }
export interface ChartAction { type: string; params?: unknown }

/** Where a saga is: XState's state value, its context, and whether it has ended. */
export interface ChartState {
  value: unknown;
  context: unknown;
  status: 'active' | 'done';
  output?: unknown;
}

export interface ChartResult extends ChartState { actions: ChartAction[] }

// ---- the compiled graph --------------------------------------------------------------------------

type Params = unknown;
interface ActionRef { type: string; params: Params; assign: Assignment | undefined }
type Assignment = ((args: ArgsOf, params: unknown) => Record<string, unknown>) | Record<string, unknown>;
interface ArgsOf { context: unknown; event: ChartEvent }
interface GuardRef { type: string; params: Params; test: (args: ArgsOf, params: unknown) => boolean }

interface Edge {
  guard: GuardRef | undefined;
  /** Undefined: a transition that only runs actions (no state is exited or entered). */
  target: Node | undefined;
  actions: ActionRef[];
  source: Node;
  /** Fixed by source and target, so computed once at compile time: the transition's domain
   *  (XState's LCCA) and the states it enters, outermost first, down to the atomic one. */
  domain: Node | undefined;
  enters: Node[];
}

interface Node {
  key: string;
  /** XState's id (`login.done`): names the done event a final state raises. */
  id: string;
  parent: Node | undefined;
  children: Map<string, Node>;
  initial: Node | undefined;
  final: boolean;
  entry: ActionRef[];
  exit: ActionRef[];
  on: Map<string, Edge[]>;
  always: Edge[];
  /** XState's state value for this node when it is the active atomic state. */
  value: unknown;
}

export interface Chart {
  id: string;
  root: Node;
  /** The states the machine starts in, outermost first (the root's initial descendants). */
  starts: Node[];
  /** Atomic states by their value: by identity for the value objects this module hands out (a
   *  saga's value is the node's own), so locating one is a lookup, not a walk (`locate`). */
  byValue: Map<unknown, Node>;
  context: (input: unknown) => unknown;
  output: ((args: { context: unknown; event: ChartEvent }) => unknown) | undefined;
}

// XState's normalised StateNode, as far as we read it.
interface XNode {
  key: string;
  output?: unknown;
  id: string;
  type: string;
  states: Record<string, XNode>;
  initial?: { target: XNode[]; actions: unknown[] };
  entry: unknown[];
  exit: unknown[];
  invoke: unknown[];
  transitions: Map<string, XTransition[]>;
  always?: XTransition[];
  history: unknown;
  after?: unknown[];
  parent?: XNode;
}
interface XTransition { target?: XNode[]; actions: unknown[]; guard?: unknown; reenter: boolean; source: XNode }

function unsupported(machine: string, what: string): never {
  throw new Error(`saga machine ${machine}: ${what} is outside the subset sagas/statechart.ts evaluates`);
}

export function compile(machine: AnyStateMachine): Chart {
  const id = machine.id;
  const impl = machine.implementations as { actions: Record<string, unknown>; guards: Record<string, unknown> };
  const nodes = new Map<XNode, Node>();

  const action = (a: unknown): ActionRef => {
    const ref = typeof a === 'string' ? { type: a } : (a as { type?: unknown; params?: unknown });
    if (typeof ref !== 'object' || typeof ref.type !== 'string') unsupported(id, 'an inline action');
    const found = impl.actions[ref.type];
    if (found === undefined) unsupported(id, `the unimplemented action "${ref.type}"`);
    const builtin = (found as { type?: unknown }).type;
    let assign: Assignment | undefined;
    if (builtin === 'xstate.assign') assign = (found as unknown as { assignment: Assignment }).assignment;
    else if (typeof found !== 'function' || builtin !== undefined) unsupported(id, `the built-in action "${String(builtin)}"`);
    return { type: ref.type, params: ref.params, assign };
  };

  const guard = (g: unknown): GuardRef | undefined => {
    if (g === undefined) return undefined;
    const ref = typeof g === 'string' ? { type: g } : (g as { type?: unknown; params?: unknown });
    if (typeof ref !== 'object' || typeof ref.type !== 'string') unsupported(id, 'an inline or composed guard');
    const test = impl.guards[ref.type];
    if (typeof test !== 'function' || 'check' in test) unsupported(id, `the guard "${ref.type}"`);
    return { type: ref.type, params: ref.params, test: test as GuardRef['test'] };
  };

  const build = (x: XNode, parent: Node | undefined): Node => {
    if (x.type !== 'compound' && x.type !== 'atomic' && x.type !== 'final') unsupported(id, `the ${x.type} state ${x.id}`);
    if (x.invoke.length > 0 || (x.after?.length ?? 0) > 0 || x.history) unsupported(id, `invoke/after/history in ${x.id}`);
    if (x.type === 'final' && parent?.parent !== undefined) unsupported(id, `the nested final state ${x.id}`);
    if ((parent === undefined || x.type === 'final') && x.exit.length > 0) unsupported(id, `exit actions on ${x.id}`);
    if (parent === undefined && x.entry.length > 0) unsupported(id, 'root entry actions');
    if (parent === undefined && x.type !== 'compound') unsupported(id, `a root that is not a compound state (${x.type})`);
    if (x.type === 'final' && x.output !== undefined) unsupported(id, `the output of the final state ${x.id}`);
    const n: Node = {
      key: x.key, id: x.id, parent, children: new Map(), initial: undefined,
      final: x.type === 'final', entry: x.entry.map(action), exit: x.exit.map(action),
      on: new Map(), always: [], value: undefined,
    };
    nodes.set(x, n);
    for (const child of Object.values(x.states)) n.children.set(child.key, build(child, n));
    return n;
  };
  const xroot = machine.root as unknown as XNode;
  const root = build(xroot, undefined);

  const edge = (t: XTransition, what: string): Edge => {
    if (t.target !== undefined && t.target.length !== 1) unsupported(id, `a transition with ${t.target.length} targets (${what})`);
    const target = t.target?.[0] === undefined ? undefined : nodes.get(t.target[0]);
    const source = nodes.get(t.source)!;
    if (target !== undefined && (t.reenter || target === source || isDescendant(target, source))) {
      unsupported(id, `a re-entering or inward transition (${what})`);
    }
    if (target === root) unsupported(id, `a transition to the root (${what})`);
    const e: Edge = { guard: guard(t.guard), target, actions: t.actions.map(action), source, domain: undefined, enters: [] };
    edges.push(e);
    return e;
  };
  const edges: Edge[] = [];

  const link = (x: XNode): void => {
    const n = nodes.get(x)!;
    for (const [type, ts] of x.transitions) {
      if (type.includes('*') || type.startsWith('xstate.')) unsupported(id, `the event descriptor "${type}" in ${x.id}`);
      n.on.set(type, ts.map((t) => edge(t, `${x.id} on ${type}`)));
    }
    for (const t of x.always ?? []) {
      if (t.target === undefined) unsupported(id, `a targetless always transition in ${x.id}`);
      const e = edge(t, `${x.id} always`);
      // XState stops when a step changes nothing; leaving for an ancestor can do just that.
      if (isDescendant(n, e.target!)) unsupported(id, `an always transition to an ancestor (${x.id})`);
      n.always.push(e);
    }
    if (x.type === 'compound') {
      if (!x.initial || x.initial.actions.length > 0 || x.initial.target.length !== 1) unsupported(id, `the initial transition of ${x.id}`);
      n.initial = nodes.get(x.initial.target[0]!);
    }
    for (const child of Object.values(x.states)) link(child);
    if (n.children.size === 0) {
      n.value = valueOf(n);
      byValue.set(n.value, n);
    }
  };
  const byValue = new Map<unknown, Node>();
  link(xroot);
  // Every initial state is known only now.
  for (const e of edges) {
    if (e.target === undefined) continue;
    e.domain = domainOf(e.source, e.target);
    e.enters = entered(e.domain, e.target);
  }

  const config = machine.config as { context?: unknown; output?: unknown };
  const ctx = config.context;
  if (ctx !== undefined && typeof ctx !== 'function' && !isPlainObject(ctx)) unsupported(id, 'a context that is not an object');
  const context = (input: unknown): unknown => {
    const c = typeof ctx === 'function' ? (ctx as (a: { input: unknown }) => unknown)({ input }) : ctx ?? {};
    if (!isPlainObject(c)) throw new Error(`saga machine ${id}: its context function returned ${JSON.stringify(c)}, not an object`);
    // The first macrostep writes into its context: a static one is copied, a function's result is
    // taken as fresh (ours build it; runner.test.ts checks that no input is written to).
    return typeof ctx === 'function' ? c : { ...c };
  };
  const out = (xroot as unknown as { output?: unknown }).output;
  if (out !== undefined && typeof out !== 'function') unsupported(id, 'a non-function output');
  return { id, root, starts: entered(root, root.initial!), byValue, context, output: out as Chart['output'] };
}

function isPlainObject(x: unknown): x is object {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isDescendant(n: Node, of: Node): boolean {
  for (let p = n.parent; p; p = p.parent) if (p === of) return true;
  return false;
}

/** The nearest compound ancestor of `source` that contains `target` too (XState's LCCA). */
function domainOf(source: Node, target: Node): Node {
  let a = source.parent!; // never the root: `compile` refuses transitions out of or to it
  while (!isDescendant(target, a)) a = a.parent!;
  return a;
}

/** The states entered reaching `target` from just below `domain`, then its initial descendants. */
function entered(domain: Node, target: Node): Node[] {
  const path: Node[] = [];
  for (let n: Node | undefined = target; n && n !== domain; n = n.parent) path.unshift(n);
  for (let at = target; at.initial; at = at.initial) path.push(at.initial);
  return path;
}

/** XState's value for an atomic state: `'a'` under the root, `{ a: 'b' }` one level down. */
function valueOf(n: Node): unknown {
  let value: unknown = n.key;
  for (let p = n.parent; p?.parent; p = p.parent) value = { [p.key]: value };
  return value;
}

// ---- evaluating ------------------------------------------------------------------------------------

/** One macrostep in progress: the active atomic state, the context, the actions collected. */
interface Run {
  chart: Chart;
  at: Node;
  context: unknown;
  event: ChartEvent;
  actions: ChartAction[];
  /** The final state entered in this macrostep, if any: the machine is done. */
  final: Node | undefined;
  /** `context` is this macrostep's own copy: later assigns may write into it. The snapshot the
   *  step started from is never written to (XState's contexts are immutable). */
  ownsContext: boolean;
}

function resolveParams(params: Params, r: Run): unknown {
  return typeof params === 'function' ? (params as (a: ArgsOf) => unknown)({ context: r.context, event: r.event }) : params;
}

function exec(r: Run, list: ActionRef[]): void {
  for (const a of list) {
    const params = resolveParams(a.params, r);
    if (a.assign === undefined) {
      r.actions.push({ type: a.type, params });
      continue;
    }
    const args = { context: r.context, event: r.event };
    let partial: Record<string, unknown>;
    if (typeof a.assign === 'function') partial = a.assign(args, params);
    else {
      partial = {};
      for (const [k, v] of Object.entries(a.assign)) partial[k] = typeof v === 'function' ? (v as (x: ArgsOf, p: unknown) => unknown)(args, params) : v;
    }
    // One copy per macrostep, not one per assign: a login's context has fifteen fields.
    if (r.ownsContext) Object.assign(Object(r.context), partial);
    else {
      r.context = Object.assign({}, r.context, partial);
      r.ownsContext = true;
    }
  }
}

function passes(g: GuardRef | undefined, r: Run): boolean {
  return g === undefined || g.test({ context: r.context, event: r.event }, resolveParams(g.params, r));
}

/** Enter `states` (outermost first, from just below a transition's domain down to an atomic state). */
function enter(r: Run, states: Node[]): void {
  for (const n of states) exec(r, n.entry);
  const at = states[states.length - 1]!;
  r.at = at;
  if (at.final) r.final = at;
}

function take(r: Run, e: Edge): void {
  if (e.target === undefined) {
    exec(r, e.actions);
    return;
  }
  for (let n: Node | undefined = r.at; n && n !== e.domain; n = n.parent) exec(r, n.exit);
  exec(r, e.actions);
  enter(r, e.enters);
}

/** The first enabled edge of `edges`, if any. */
function firstPassing(r: Run, edges: Edge[]): Edge | undefined {
  for (const e of edges) if (passes(e.guard, r)) return e;
  return undefined;
}

/** The transition `r.event` would take, child before parent. */
function onEvent(r: Run): Edge | undefined {
  const type = r.event.type;
  for (let n: Node | undefined = r.at; n; n = n.parent) {
    const edges = n.on.get(type);
    const e = edges === undefined ? undefined : firstPassing(r, edges);
    if (e) return e;
  }
  return undefined;
}

/** The `always` transition enabled now, child before parent. */
function always(r: Run): Edge | undefined {
  for (let n: Node | undefined = r.at; n; n = n.parent) {
    const e = n.always.length === 0 ? undefined : firstPassing(r, n.always);
    if (e) return e;
  }
  return undefined;
}

function settle(r: Run): ChartResult {
  while (r.final === undefined) {
    const e = always(r);
    if (!e) break;
    take(r, e);
  }
  return finish(r, r.final !== undefined);
}

/** XState computes the output when a final state is entered, from the `xstate.done.state` event. */
function finish(r: Run, done: boolean): ChartResult {
  const result: ChartResult = { value: r.at.value, context: r.context, status: done ? 'done' : 'active', actions: r.actions };
  if (done) {
    const f = r.final;
    result.output = f === undefined ? undefined : r.chart.output?.({ context: r.context, event: { type: `xstate.done.state.${f.id}`, output: undefined } });
  }
  return result;
}

function locate(chart: Chart, value: unknown): Node {
  // A value this module returned is found by identity; one read back from JSON is walked.
  const n = chart.byValue.get(value) ?? (typeof value === 'string' ? chart.root.children.get(value) : typeof value === 'object' && value !== null ? walk(chart.root, value) : undefined);
  if (n === undefined || n.children.size > 0) throw new Error(`saga machine ${chart.id}: no atomic state ${JSON.stringify(value)}`);
  return n;
}

/** Down a nested value (`{ seating: 'associating' }`), one key per level: no string built per step. */
function walk(from: Node, value: object): Node | undefined {
  let node: Node | undefined = from;
  let v: unknown = value;
  while (node !== undefined && typeof v === 'object' && v !== null) {
    let key: string | undefined;
    let sub: unknown;
    let keys = 0;
    for (const k in v) {
      key = k;
      sub = (v as Record<string, unknown>)[k];
      keys++;
    }
    if (keys !== 1) return undefined; // one active state per level: no parallel states here
    node = node.children.get(key!);
    v = sub;
  }
  return node !== undefined && typeof v === 'string' ? node.children.get(v) : undefined;
}

function checkEvent(chart: Chart, event: ChartEvent): void {
  if (typeof event?.type !== 'string' || event.type.startsWith('xstate.')) {
    throw new Error(`saga machine ${chart.id}: the event type ${JSON.stringify(event?.type)} is not a saga event (xstate.* types are XState's own)`);
  }
}

// ---- the API -------------------------------------------------------------------------------------

/** The machine's first state and the actions its entry asks for (= `initialTransition`). */
export function initial(chart: Chart, input: unknown): ChartResult {
  const r: Run = { chart, at: chart.root, context: chart.context(input), event: { type: 'xstate.init', input } as ChartEvent, actions: [], final: undefined, ownsContext: true };
  enter(r, chart.starts);
  return settle(r);
}

/**
 * The machine after `event` from `state` (= `resolveState` + `transition`). `owned`: the caller
 * gives up `state` (as `step` owns the connector's state), so its context is updated in place
 * instead of copied first — otherwise `state` is never written to.
 */
export function next(chart: Chart, state: { value: unknown; context: unknown }, event: ChartEvent, owned = false): ChartResult {
  checkEvent(chart, event);
  const at = locate(chart, state.value);
  const r: Run = { chart, at, context: state.context, event, actions: [], final: undefined, ownsContext: owned };
  const e = onEvent(r);
  if (e) take(r, e);
  // A finished machine stays done (only the root's transitions can apply to it): no always steps.
  return at.final ? finish(r, true) : settle(r);
}

/** Whether `event` would take a transition that does something (= `snapshot.can`, finished or not). */
export function can(chart: Chart, state: { value: unknown; context: unknown }, event: ChartEvent): boolean {
  checkEvent(chart, event);
  const r: Run = { chart, at: locate(chart, state.value), context: state.context, event, actions: [], final: undefined, ownsContext: false };
  const e = onEvent(r);
  return e !== undefined && (e.target !== undefined || e.actions.length > 0);
}

/** Whether the machine is in a final state. */
export function isDone(chart: Chart, state: { value: unknown }): boolean {
  return locate(chart, state.value).final;
}
