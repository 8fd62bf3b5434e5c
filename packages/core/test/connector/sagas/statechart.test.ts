/**
 * The statechart evaluator on machines of its own: the XState semantics it promises (runner.test.ts
 * checks the real sagas against XState), and a clear refusal of every feature outside its subset.
 */
import { describe, expect, it } from 'vitest';
import { and, assign, initialTransition, not, raise, setup, transition, type AnyStateMachine } from 'xstate';
import { can, compile, initial, isDone, next } from '../../../src/connector/sagas/statechart.js';

type Ev = { type: 'GO' } | { type: 'BACK' } | { type: 'NOTE' };

/** A machine using every supported feature, with a log of every action in order. */
const probe = setup({
  types: { context: {} as { log: string[]; n: number }, events: {} as Ev, input: {} as { n: number } },
  actions: {
    say: (_: unknown, _p: { what: string }) => {},
    log: assign(({ context }, p: { what: string }) => ({ log: [...context.log, p.what] })),
    bump: assign({ n: ({ context }) => context.n + 1 }),
  },
  guards: {
    small: ({ context }) => context.n < 3,
    atLeast: ({ context }, p: { n: number }) => context.n >= p.n,
  },
}).createMachine({
  id: 'probe',
  context: ({ input }) => ({ log: [], n: input.n }),
  initial: 'outer',
  on: { NOTE: { actions: { type: 'log', params: { what: 'root NOTE' } } } },
  states: {
    outer: {
      entry: { type: 'log', params: { what: 'enter outer' } },
      exit: { type: 'log', params: { what: 'exit outer' } },
      initial: 'a',
      on: { BACK: { target: '#probe.middle', actions: { type: 'log', params: { what: 'outer BACK' } } } },
      states: {
        a: {
          entry: [{ type: 'log', params: { what: 'enter a' } }, { type: 'say', params: ({ context }) => ({ what: `a at ${context.n}` }) }],
          exit: { type: 'log', params: { what: 'exit a' } },
          on: {
            GO: [
              { guard: { type: 'atLeast', params: { n: 5 } }, target: '#probe.end' },
              { guard: 'small', target: 'b', actions: ['bump', { type: 'log', params: { what: 'a GO' } }] },
            ],
          },
        },
        b: {
          entry: { type: 'log', params: { what: 'enter b' } },
          exit: { type: 'log', params: { what: 'exit b' } },
          always: { guard: { type: 'atLeast', params: { n: 2 } }, target: '#probe.middle' },
          on: { GO: 'a', NOTE: { actions: { type: 'log', params: { what: 'b NOTE' } } } },
        },
      },
    },
    middle: {
      entry: { type: 'say', params: { what: 'middle' } },
      on: { GO: { target: 'end', actions: 'bump' }, BACK: 'outer' },
    },
    end: { type: 'final' },
  },
  output: ({ context }) => ({ n: context.n, steps: context.log.length }),
});

const chart = compile(probe);

function viewX(snap: { value: unknown; context: unknown; status: string; output?: unknown }, actions: { type: string; params?: unknown }[]) {
  return { value: snap.value, context: snap.context, status: snap.status, output: snap.status === 'done' ? snap.output : undefined, actions: actions.map((a) => ({ type: a.type, params: a.params })) };
}

describe('statechart evaluator ≡ XState on a machine using the whole subset', () => {
  const sequences: Ev['type'][][] = [
    ['GO', 'NOTE', 'GO', 'GO', 'NOTE', 'BACK', 'GO', 'GO'],
    ['NOTE', 'BACK', 'GO', 'BACK', 'GO', 'GO', 'GO'],
    ['GO', 'GO', 'GO', 'GO', 'GO', 'GO'],
  ];
  for (const [i, events] of sequences.entries()) {
    for (const n of [0, 1, 2, 5]) {
      it(`sequence ${i} from n=${n}`, () => {
        const [x0, a0] = initialTransition(probe, { n });
        let ours = initial(chart, { n });
        expect({ ...ours, actions: ours.actions.map((a) => ({ type: a.type, params: a.params })) }).toEqual(viewX(x0, a0));
        let snap = x0;
        for (const type of events) {
          if (snap.status !== 'active') break;
          expect(can(chart, ours, { type })).toBe(snap.can({ type }));
          const [x, a] = transition(probe, snap, { type });
          ours = next(chart, ours, { type });
          expect({ ...ours, actions: ours.actions.map((b) => ({ type: b.type, params: b.params })) }).toEqual(viewX(x, a));
          snap = x;
        }
      });
    }
  }

  it('runs exit actions deepest first, then the transition, then entry outermost first', () => {
    const left = next(chart, { value: { outer: 'a' }, context: { log: [], n: 0 } }, { type: 'BACK' });
    expect((left.context as { log: string[] }).log).toEqual(['exit a', 'exit outer', 'outer BACK']);
    expect(left.actions).toEqual([{ type: 'say', params: { what: 'middle' } }]);
    const back = next(chart, left, { type: 'BACK' });
    expect(back.value).toEqual({ outer: 'a' });
    expect((back.context as { log: string[] }).log).toEqual(['exit a', 'exit outer', 'outer BACK', 'enter outer', 'enter a']);
    expect(back.actions).toEqual([{ type: 'say', params: { what: 'a at 0' } }]);
  });

  it('lets a child handle an event before its parent, and a parent handle what the child does not', () => {
    const inB = { value: { outer: 'b' }, context: { log: [], n: 1 } };
    expect((next(chart, inB, { type: 'NOTE' }).context as { log: string[] }).log).toEqual(['b NOTE']);
    const inA = { value: { outer: 'a' }, context: { log: [], n: 1 } };
    expect((next(chart, inA, { type: 'NOTE' }).context as { log: string[] }).log).toEqual(['root NOTE']);
  });

  it('takes the first enabled guarded transition, and none when no guard passes', () => {
    expect(next(chart, { value: { outer: 'a' }, context: { log: [], n: 7 } }, { type: 'GO' }).status).toBe('done');
    const stuck = next(chart, { value: { outer: 'a' }, context: { log: [], n: 3 } }, { type: 'GO' });
    expect(stuck).toMatchObject({ value: { outer: 'a' }, status: 'active', actions: [] });
    expect(can(chart, { value: { outer: 'a' }, context: { log: [], n: 3 } }, { type: 'GO' })).toBe(false);
  });

  it('follows always transitions after the event, and computes the output on reaching a final state', () => {
    const r = next(chart, { value: { outer: 'a' }, context: { log: [], n: 1 } }, { type: 'GO' });
    expect(r.value).toBe('middle');
    expect((r.context as { log: string[] }).log).toEqual(['exit a', 'a GO', 'enter b', 'exit b', 'exit outer']);
    expect(r.actions).toEqual([{ type: 'say', params: { what: 'middle' } }]);
    const end = next(chart, { value: 'middle', context: r.context }, { type: 'GO' });
    expect(end).toMatchObject({ value: 'end', status: 'done', output: { n: 3, steps: 5 } });
  });

  it('a machine persisted in a final state stays done; only the root\'s transitions still apply, as in XState', () => {
    const done = { value: 'end', context: { log: [], n: 0 } };
    expect(next(chart, done, { type: 'GO' })).toEqual({ value: 'end', context: done.context, status: 'done', output: undefined, actions: [] });
    expect(can(chart, done, { type: 'GO' })).toBe(false);
    const noted = next(chart, done, { type: 'NOTE' });
    expect(noted).toEqual({ value: 'end', context: { log: ['root NOTE'], n: 0 }, status: 'done', output: undefined, actions: [] });
    expect(can(chart, done, { type: 'NOTE' })).toBe(true);
    const resolved = probe.resolveState({ value: 'end', context: done.context });
    const [x, a] = transition(probe, resolved, { type: 'NOTE' });
    expect(noted).toEqual(viewX(x, a));
    expect(resolved.can({ type: 'NOTE' })).toBe(true);
    expect(isDone(chart, done)).toBe(true);
    expect(isDone(chart, { value: 'middle' })).toBe(false);
  });

  it('refuses XState\'s own event types and non-events', () => {
    const at = { value: 'middle', context: { log: [], n: 0 } };
    expect(() => next(chart, at, { type: 'xstate.stop' })).toThrow(/not a saga event/);
    expect(() => can(chart, at, { type: 'xstate.error.actor.x' })).toThrow(/not a saga event/);
    expect(() => next(chart, at, undefined as never)).toThrow(/not a saga event/);
  });

  it('refuses a context function that returns no object', () => {
    const m = setup({}).createMachine({ id: 'c', context: () => [1] as never, initial: 'a', states: { a: {} } });
    expect(() => initial(compile(m), undefined)).toThrow(/context function returned \[1\], not an object/);
    const plainContext = setup({}).createMachine({ id: 'p', context: { k: 1 }, initial: 'a', states: { a: {} } });
    expect(initial(compile(plainContext), undefined)).toMatchObject({ context: { k: 1 }, value: 'a', status: 'active' });
  });

  it('refuses a context function that returns null; a machine without context starts from {}', () => {
    const m = setup({}).createMachine({ id: 'c', context: () => null as never, initial: 'a', states: { a: {} } });
    expect(() => initial(compile(m), undefined)).toThrow(/context function returned null, not an object/);
    const none = setup({}).createMachine({ id: 'n', initial: 'a', states: { a: {} } });
    expect(initial(compile(none), undefined)).toEqual({ value: 'a', context: {}, status: 'active', actions: [] });
  });

  it('can() is false for a transition that neither moves nor acts, as XState\'s snapshot.can', () => {
    const m = setup({ guards: { yes: () => true } }).createMachine({ id: 'm', initial: 'a', states: { a: { on: { GO: {}, NOTE: { guard: 'yes' } } } } });
    const [x0] = initialTransition(m, undefined);
    const at = { value: 'a', context: {} };
    for (const type of ['GO', 'NOTE']) {
      expect(x0.can({ type })).toBe(false);
      expect(can(compile(m), at, { type })).toBe(false);
    }
  });

  it('gives the root output the xstate.done.state event of the final state entered, as XState', () => {
    const m = setup({}).createMachine({
      id: 'm', initial: 'a', output: ({ event }) => ({ seen: event }),
      states: { a: { on: { GO: 'p' } }, p: { initial: 'x', states: { x: { on: { GO: '#m.end' } } } }, end: { type: 'final' } },
    });
    const [x0] = initialTransition(m, undefined);
    const [x1] = transition(m, x0, { type: 'GO' });
    const [x2] = transition(m, x1, { type: 'GO' });
    const ours = next(compile(m), { value: { p: 'x' }, context: {} }, { type: 'GO' });
    expect(ours.output).toEqual({ seen: { type: 'xstate.done.state.m.end' } });
    expect(ours.output).toEqual(x2.output);
  });

  it('finishes a machine without an output with output undefined', () => {
    const m = setup({}).createMachine({ id: 'm', initial: 'a', states: { a: { on: { GO: 'end' } }, end: { type: 'final' } } });
    expect(next(compile(m), { value: 'a', context: {} }, { type: 'GO' })).toEqual({ value: 'end', context: {}, status: 'done', output: undefined, actions: [] });
  });

  it('rejects a persisted value that names no atomic state', () => {
    expect(() => next(chart, { value: 'nowhere', context: {} }, { type: 'GO' })).toThrow(/no atomic state "nowhere"/);
    expect(() => next(chart, { value: 'outer', context: {} }, { type: 'GO' })).toThrow(/no atomic state "outer"/);
    expect(() => can(chart, { value: { outer: 'zzz' }, context: {} }, { type: 'GO' })).toThrow(/no atomic state/);
  });
});

describe('compile refuses what it does not evaluate', () => {
  const plain = setup({ actions: { noop: () => {} }, guards: { yes: () => true } });
  const cases: [string, AnyStateMachine, RegExp][] = [
    ['a parallel state', plain.createMachine({ id: 'm', type: 'parallel', states: { a: {}, b: {} } }), /parallel state m/],
    ['a nested final state', plain.createMachine({ id: 'm', initial: 'a', states: { a: { initial: 'x', states: { x: { type: 'final' } } } } }), /nested final state m\.a\.x/],
    ['a history state', plain.createMachine({ id: 'm', initial: 'a', states: { a: {}, h: { type: 'history' } } }), /history state m\.h/],
    ['a delayed transition', plain.createMachine({ id: 'm', initial: 'a', states: { a: { after: { 10: 'b' } }, b: {} } }), /invoke\/after\/history in m\.a/],
    ['an inline action', plain.createMachine({ id: 'm', initial: 'a', states: { a: { entry: () => {} } } }), /inline action/],
    ['an unimplemented action', plain.createMachine({ id: 'm', initial: 'a', states: { a: { entry: 'missing' as never } } }), /unimplemented action "missing"/],
    ['an inline guard', plain.createMachine({ id: 'm', initial: 'a', states: { a: { on: { GO: { guard: () => true, target: 'b' } } }, b: {} } }), /inline or composed guard/],
    ['a targetless always', plain.createMachine({ id: 'm', initial: 'a', states: { a: { always: { actions: 'noop' } } } }), /targetless always transition in m\.a/],
    ['a re-entering transition', plain.createMachine({ id: 'm', initial: 'a', states: { a: { on: { GO: { target: 'b', reenter: true } } }, b: {} } }), /re-entering or inward transition \(m\.a on GO\)/],
    ['a self-transition', plain.createMachine({ id: 'm', initial: 'a', states: { a: { on: { GO: 'a' } } } }), /re-entering or inward transition \(m\.a on GO\)/],
    ['an inward transition', plain.createMachine({ id: 'm', initial: 'a', states: { a: { initial: 'x', on: { GO: '.y' }, states: { x: {}, y: {} } } } }), /re-entering or inward transition \(m\.a on GO\)/],
    ['a wildcard event', plain.createMachine({ id: 'm', initial: 'a', states: { a: { on: { '*': 'b' } }, b: {} } }), /event descriptor "\*"/],
    ['exit actions on the root', plain.createMachine({ id: 'm', exit: 'noop', initial: 'a', states: { a: {} } }), /exit actions on m/],
    ['entry actions on the root', plain.createMachine({ id: 'm', entry: 'noop', initial: 'a', states: { a: {} } }), /root entry actions/],
    ['a transition to the root', plain.createMachine({ id: 'm', initial: 'a', states: { a: { on: { GO: '#m' } } } }), /transition to the root \(m\.a on GO\)/],
    ['an always transition to an ancestor', plain.createMachine({ id: 'm', initial: 'p', states: { p: { initial: 'a', states: { a: { always: '#m.p' } } } } }), /always transition to an ancestor \(m\.p\.a\)/],
    ['a transition with no target in its target list', plain.createMachine({ id: 'm', initial: 'a', states: { a: { on: { GO: { target: [] } } } } }), /transition with 0 targets \(m\.a on GO\)/],
    ['an output on a final state', plain.createMachine({ id: 'm', initial: 'a', states: { a: { type: 'final', output: { r: 1 } } } }), /output of the final state m\.a/],
    ['a root without child states', plain.createMachine({ id: 'm' }), /root that is not a compound state \(atomic\)/],
    ['a context that is not an object', plain.createMachine({ id: 'm', context: 5 as never, initial: 'a', states: { a: {} } }), /context that is not an object/],
    ['a null context', plain.createMachine({ id: 'm', context: null as never, initial: 'a', states: { a: {} } }), /context that is not an object/],
    ['an inline assign action', plain.createMachine({ id: 'm', initial: 'a', states: { a: { entry: assign({ k: 1 }) as never } } }), /inline action/],
    ['an action reference whose type is no string', plain.createMachine({ id: 'm', initial: 'a', states: { a: { entry: { type: 5 } as never } } }), /inline action/],
    ['a built-in action other than assign as an implementation', setup({ actions: { r: raise({ type: 'X' }) } }).createMachine({ id: 'm', initial: 'a', states: { a: { entry: 'r' } } }), /the built-in action "xstate\.raise"/],
    ['an action implementation that is not a function', setup({ actions: { r: 5 as never } }).createMachine({ id: 'm', initial: 'a', states: { a: { entry: 'r' } } }), /the built-in action "undefined"/],
    ['an inline composed guard', plain.createMachine({ id: 'm', initial: 'a', states: { a: { on: { GO: { guard: not('yes'), target: 'b' } } }, b: {} } }), /inline or composed guard/],
    ['a guard reference whose type is no string', plain.createMachine({ id: 'm', initial: 'a', states: { a: { on: { GO: { guard: { type: 5 } as never, target: 'b' } } }, b: {} } }), /inline or composed guard/],
    // XState runs an inline function guard itself, whatever `type` it carries: never the implementation of that name.
    ['an inline guard function carrying a type name', plain.createMachine({ id: 'm', initial: 'a', states: { a: { on: { GO: { guard: Object.assign(() => false, { type: 'yes' }), target: 'b' } } }, b: {} } }), /inline or composed guard/],
    ['a composed guard as an implementation', setup({ guards: { yes: () => true, both: and(['yes', 'yes']) } }).createMachine({ id: 'm', initial: 'a', states: { a: { on: { GO: { guard: 'both', target: 'b' } } }, b: {} } }), /the guard "both"/],
    ['a guard implementation that is not a function', setup({ guards: { g: 5 as never } }).createMachine({ id: 'm', initial: 'a', states: { a: { on: { GO: { guard: 'g', target: 'b' } } }, b: {} } }), /the guard "g"/],
    ['an invoked actor', plain.createMachine({ id: 'm', initial: 'a', states: { a: { invoke: { src: 'x' } as never } } }), /invoke\/after\/history in m\.a/],
    ['an initial transition with actions', (plain.createMachine({ id: 'm', initial: { target: 'a', actions: 'noop' } as never, states: { a: {} } } as never) as unknown as AnyStateMachine), /the initial transition of m /],
    ['a final root', (plain.createMachine({ id: 'm', type: 'final' } as never) as unknown as AnyStateMachine), /root that is not a compound state \(final\)/],
    ['exit actions on a final state', plain.createMachine({ id: 'm', initial: 'a', states: { a: { type: 'final', exit: 'noop' } } }), /exit actions on m\.a /],
    ['an onDone transition (an xstate.* event)', plain.createMachine({ id: 'm', initial: 'p', states: { p: { initial: 'a', onDone: 'b', states: { a: {} } }, b: {} } }), /event descriptor "xstate\.done\.state\.m\.p" in m\.p/],
    ['an always transition to the root', plain.createMachine({ id: 'm', initial: 'a', states: { a: { always: '#m' } } }), /transition to the root \(m\.a always\)/],
    ['a non-function output', plain.createMachine({ id: 'm', output: { r: 1 } as never, initial: 'a', states: { a: {} } }), /a non-function output/],
  ];
  for (const [what, machine, message] of cases) {
    it(`refuses ${what}`, () => {
      expect(() => compile(machine)).toThrow(/outside the subset/);
      expect(() => compile(machine)).toThrow(message);
    });
  }

  it('accepts every saga machine of the connector', async () => {
    const { MACHINES } = await import('../../../src/connector/sagas/runner.js');
    for (const m of Object.values(MACHINES)) expect(compile(m).id).toBe(m.id);
  });
});
