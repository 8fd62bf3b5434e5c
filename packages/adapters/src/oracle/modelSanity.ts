/**
 * M1 The simulator agrees with itself (issue 16, blind spot 5): an association has two sides in the
 * model — the guest's host and the host's guest — and BroadWorks keeps one guest per desk. A model
 * slip that breaks that (a desk handed to a second guest, a move that does not free the old desk)
 * is reported here, as the model's, after the instant it happened, before it surfaces downstream as
 * a connector invariant. The rules themselves are checked against a reference model in
 * packages/xsp-sim/test/reference.
 */
import type { XspState } from '@csta-bw/xsp-sim';
import type { Violation } from '../invariants.js';
import type { VirtualWorld, WorldProbe } from '../virtualWorld.js';

export function modelInconsistencies(s: XspState): string[] {
  const out: string[] = [];
  const claims = new Map<string, string[]>();
  for (const [id, u] of Object.entries(s.users)) {
    const h = u.guest?.hostUserId;
    if (h === undefined) continue;
    (claims.get(h) ?? claims.set(h, []).get(h)!).push(id);
    const host = s.users[h]?.host;
    if (!host) out.push(`${id} is associated with ${h}, which has no Hoteling Host`);
    else if (host.guestUserId !== id) out.push(`${id} is associated with ${h}, but ${h} hosts ${host.guestUserId ?? 'nobody'}`);
  }
  for (const [h, guests] of claims) if (guests.length > 1) out.push(`${h} hosts ${guests.length} guests at once: ${guests.join(', ')}`);
  for (const [id, u] of Object.entries(s.users)) {
    const g = u.host?.guestUserId;
    if (g !== undefined && s.users[g]?.guest?.hostUserId !== id) out.push(`${id} hosts ${g}, but ${g} is associated with ${s.users[g]?.guest?.hostUserId ?? 'nobody'}`);
  }
  return out;
}

/** Samples the model after every instant; the first inconsistency is kept with its time. */
export class ModelSanity implements WorldProbe {
  private found: { at: number; problems: string[] } | undefined;
  private lastUsers: object | undefined;

  tick(w: VirtualWorld): void {
    // The model's users object is replaced only when a user changes: check only then.
    if (this.found || w.xsp.users === this.lastUsers) return;
    this.lastUsers = w.xsp.users;
    const problems = modelInconsistencies(w.xsp);
    if (problems.length > 0) this.found = { at: w.now, problems };
  }

  check(): Violation[] {
    return this.found ? this.found.problems.map((p) => ({ invariant: 'M1' as const, message: `simulator model at ${this.found!.at} ms: ${p}` })) : [];
  }
}
