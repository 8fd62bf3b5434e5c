/**
 * Reconnect pacing for the event channel (reference/xsi.md §6, §8: reconnect storms trip the
 * XSP's overload controls and page its operators).
 *
 * Exponential backoff with "equal jitter": attempt n waits a random time in [cap/2, cap] where
 * cap = min(maxMs, baseMs · 2^n). The floor of cap/2 keeps a crowd of clients from hammering
 * the XSP in lock-step; the random half spreads them. The random source is an input so tests
 * are deterministic.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000 };

/** Delay before reconnect attempt `attempt` (0 = the first retry), given a draw in [0, 1). */
export function reconnectDelay(policy: BackoffPolicy, attempt: number, draw: number): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 30); // 2^30 · base exceeds any sane max
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  const unit = Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1) : 0.5;
  return Math.round(cap / 2 + (cap / 2) * unit);
}
