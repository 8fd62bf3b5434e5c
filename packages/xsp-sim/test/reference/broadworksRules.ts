/**
 * A small reference model of the BroadWorks rules of DESIGN §6.2, written from that text alone —
 * independent of the simulator's model (src/model), so that a slip in the model shows up as a
 * disagreement with the reference, reported as the model's (issue 16, blind spot 5), rather than
 * as a connector invariant broken somewhere downstream.
 *
 * It keeps only what the rules decide: each user's agent state, forwarding (on/off, number), and
 * the hoteling association with its start time. Commands are the four PUTs the rules name; a
 * command either succeeds (and changes the state) or is refused (and changes nothing).
 *
 *   R1 PUT HotelingGuest hostUserId=H: the guest has Hoteling Guest and it is active (or the PUT
 *      makes it active); H ≠ guest; H exists and has Hoteling Host, active; H hosts no other
 *      guest; if H enforces a limit and the guest's limit is on, the guest's hours ≤ H's hours.
 *      A guest associated elsewhere moves. hostUserId nil releases.
 *   R2 With a limit (the guest's, if on; the host's, if enforced) an association ends by itself
 *      after the shorter one.
 *   R3 PUT HotelingHost removeGuestAssociation=true force-releases the desk's guest.
 *   R4 PUT CallCenter: any state to any state; Sign-In lands on Unavailable.
 *   R5 PUT CallForwardingAlways: activating needs a number, sent or stored.
 */

export type AcdState = 'Sign-In' | 'Available' | 'Unavailable' | 'Wrap-Up' | 'Sign-Out';
export const ACD_STATES: readonly AcdState[] = ['Sign-In', 'Available', 'Unavailable', 'Wrap-Up', 'Sign-Out'];

export interface RefUser {
  agent?: AcdState;
  forwarding?: { active: boolean; number?: string };
  guest?: { active: boolean; limitOn: boolean; hours: number; host?: string; since?: number };
  host?: { active: boolean; enforce: boolean; hours: number };
}

export type RefWorld = Record<string, RefUser>;

export type RefCommand =
  | { op: 'PUT HotelingGuest'; userId: string; body: { hostUserId: string | null; active?: boolean } }
  | { op: 'PUT HotelingHost'; userId: string; body: { removeGuestAssociation?: boolean } }
  | { op: 'PUT CallCenter'; userId: string; body: { agentACDState: string } }
  | { op: 'PUT CallForwardingAlways'; userId: string; body: { active: boolean; forwardToPhoneNumber?: string } };

const HOUR = 3_600_000;

/** Who sits at `host`, per the guests' side (the one truth of an association). */
export function guestAt(w: RefWorld, host: string): string | undefined {
  return Object.keys(w).find((id) => w[id]!.guest?.host === host);
}

/** R1–R5: the world after `c` at `now`, or undefined if BroadWorks refuses it. */
export function apply(w: RefWorld, c: RefCommand, now: number): RefWorld | undefined {
  const me = w[c.userId];
  if (!me) return undefined;
  const next: RefWorld = structuredClone(w);
  const u = next[c.userId]!;
  switch (c.op) {
    case 'PUT HotelingGuest': {
      if (!u.guest) return undefined;
      const active = c.body.active ?? u.guest.active;
      const h = c.body.hostUserId;
      if (h === null) {
        u.guest.active = active;
        delete u.guest.host;
        delete u.guest.since;
        return next;
      }
      const host = next[h]?.host;
      if (!active || h === c.userId || !host || !host.active) return undefined;
      const seated = guestAt(next, h);
      if (seated !== undefined && seated !== c.userId) return undefined;
      if (host.enforce && u.guest.limitOn && u.guest.hours > host.hours) return undefined;
      u.guest.active = active;
      if (u.guest.host !== h) {
        u.guest.host = h; // moving frees the old desk: the association lives on the guest's side
        u.guest.since = now;
      }
      return next;
    }
    case 'PUT HotelingHost': {
      if (!u.host) return undefined;
      if (c.body.removeGuestAssociation === true) {
        const g = guestAt(next, c.userId);
        if (g !== undefined) {
          delete next[g]!.guest!.host;
          delete next[g]!.guest!.since;
        }
      }
      return next;
    }
    case 'PUT CallCenter': {
      if (u.agent === undefined || !ACD_STATES.includes(c.body.agentACDState as AcdState)) return undefined;
      u.agent = c.body.agentACDState === 'Sign-In' ? 'Unavailable' : (c.body.agentACDState as AcdState);
      return next;
    }
    case 'PUT CallForwardingAlways': {
      if (!u.forwarding) return undefined;
      const number = c.body.forwardToPhoneNumber ?? u.forwarding.number;
      if (c.body.active && number === undefined) return undefined;
      u.forwarding = number === undefined ? { active: c.body.active } : { active: c.body.active, number };
      return next;
    }
  }
}

/** R2: associations whose limit ran out by `now` end. */
export function elapse(w: RefWorld, now: number): RefWorld {
  const next: RefWorld = structuredClone(w);
  for (const u of Object.values(next)) {
    const g = u.guest;
    if (!g || g.host === undefined || g.since === undefined) continue;
    const host = next[g.host]?.host;
    const limits = [...(g.limitOn ? [g.hours] : []), ...(host?.enforce ? [host.hours] : [])];
    if (limits.length > 0 && g.since + Math.min(...limits) * HOUR <= now) {
      delete g.host;
      delete g.since;
    }
  }
  return next;
}
