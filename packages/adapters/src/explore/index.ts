/** The explorer (issue 5): seeded random exploration, coverage, "sometimes" checks, shrinking, bounded exhaustive mode. */
export * from './generate.js';
export * from './abstractState.js';
export * from './sometimes.js';
export * from './coverage.js';
export * from './shrink.js';
export * from './explorer.js';
export * from './counterexample.js';
export * from './exhaustive.js';
export * from './wireWorld.js';
export * from './wireRun.js';
export { checkWire, WIRE_TARGETS, wireTargets, type WireCheckOptions } from '../oracle/wire.js';
