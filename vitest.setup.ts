/**
 * Every fast-check property in every package runs with one pinned seed in `pnpm test` (CI), so a
 * red run is reproducible as it is; `pnpm test:deep` (CSTA_BW_DEEP=1) leaves the seed to
 * fast-check — a fresh one each run — and a failure prints it with its shrunk counterexample
 * ("seed: …, path: …"), to be replayed with `{ seed, path }` on that property.
 */
import fc from 'fast-check';

const DEEP = process.env.CSTA_BW_DEEP === '1';
const PINNED_SEED = 20261125;

fc.configureGlobal(DEEP ? {} : { seed: PINNED_SEED });
