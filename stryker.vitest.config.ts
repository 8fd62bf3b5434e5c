/**
 * Vitest for `pnpm mutate` (stryker.config.json): the root config, limited to the core's tests.
 * Stryker counts an `it.fails` test (a known gap, expected to fail) as a failing initial run,
 * so tests marked that way are left out by name here, and so is the purity scan of the sources.
 */
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

const EXPECTED_TO_FAIL = ['an association created elsewhere with a guest the connector never read'];
/** Tests that read the source files: in Stryker's sandbox those are instrumented. */
const READS_SOURCE = ['packages/core/src reads no clock'];

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['packages/core/test/**/*.test.ts'],
    // The core is pure and its tests share no module state: load modules once per test runner
    // instead of once per mutant (same score on a sample, less time per mutant).
    isolate: false,
    testNamePattern: new RegExp(`^(?!.*(${[...EXPECTED_TO_FAIL, ...READS_SOURCE].join('|')}))`),
  },
});
