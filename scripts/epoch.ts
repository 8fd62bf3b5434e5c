/**
 * `--epoch ISO` for `pnpm sim` and `pnpm trace`: the wall-clock instant the simulator's virtual
 * time 0 stands for. Only full ISO 8601 date-times with an explicit zone are accepted, so a run
 * means the same instant on every machine.
 */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** ms since 1970, or an error message naming the flag. */
export function parseEpoch(text: string): number | { error: string } {
  const ms = ISO_WITH_ZONE.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(ms)) return { error: `--epoch must be an ISO 8601 date-time with a zone, e.g. 2025-01-01T09:00:00Z; got "${text}"` };
  return ms;
}
