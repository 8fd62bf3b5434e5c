/**
 * Starting worlds (issue 16, blind spot 2): how BroadWorks looks when the connector starts. Real
 * desks are not blank — they are forwarded somewhere (to a number, to another user, with ring
 * splash), their own agent is signed in, an agent sits at one already (an association made before
 * the connector started, perhaps with the desk forwarded to it), limits apply, DND is on, an agent
 * has no extension. Without that, "put back what was there" and "turn it off" look the same.
 *
 * A starting world is a list of small facts applied to the schedule's directory, in order; a fact
 * that cannot hold (a desk already taken) is skipped, so any list is a valid world and the
 * shrinker may drop facts one by one. Facts are plain JSON: they travel in schedule.json.
 */
import type { AgentACDState } from '@csta-bw/core';
import type { Directory, DirectoryUser } from '@csta-bw/xsp-sim';

export type StartFact =
  /** The user's Call Forwarding Always is on, to `to` (a number, an extension or a user id). */
  | { kind: 'forwarded'; userId: string; to: string; ringSplash: boolean }
  /** The user's own agent is in `state` (a desk's agent signed in at the desk itself). */
  | { kind: 'agentState'; userId: string; state: AgentACDState }
  /** The guest already sits at the host (made before the connector started). */
  | { kind: 'associated'; guestUserId: string; hostUserId: string }
  /** The guest's association limit is enabled, at `hours`. */
  | { kind: 'guestLimit'; guestUserId: string; hours: number }
  /** The host enforces an association limit of `hours`. */
  | { kind: 'hostLimit'; hostUserId: string; hours: number }
  /** The user has no extension: a forward to it uses its number if given, else its user id. */
  | { kind: 'noExtension'; userId: string; number?: string }
  | { kind: 'doNotDisturb'; userId: string };

export const START_AGENT_STATES: readonly AgentACDState[] = ['Available', 'Unavailable', 'Wrap-Up'];

/** The directory with `facts` applied (a copy; facts that cannot hold are skipped). */
export function applyStart(directory: Directory, facts: readonly StartFact[]): Directory {
  const d: Directory = { ...directory, users: directory.users.map((u) => structuredClone(u)) };
  const user = (id: string): DirectoryUser | undefined => d.users.find((u) => u.userId === id);
  for (const f of facts) {
    switch (f.kind) {
      case 'forwarded': {
        const u = user(f.userId);
        if (u?.forwarding) u.forwarding = { active: true, forwardToPhoneNumber: f.to, ringSplash: f.ringSplash };
        break;
      }
      case 'agentState': {
        const u = user(f.userId);
        if (u?.callCenter) u.callCenter = { agentACDState: f.state };
        break;
      }
      case 'associated': {
        const g = user(f.guestUserId);
        const h = user(f.hostUserId);
        const taken = d.users.some((u) => u.hotelingGuest?.hostUserId === f.hostUserId);
        if (!g?.hotelingGuest?.active || !h?.hotelingHost?.active || taken || g.hotelingGuest.hostUserId !== undefined) break;
        g.hotelingGuest = { ...g.hotelingGuest, hostUserId: f.hostUserId };
        break;
      }
      case 'guestLimit': {
        const g = user(f.guestUserId);
        if (g?.hotelingGuest) g.hotelingGuest = { ...g.hotelingGuest, enableAssociationLimit: true, associationLimitHours: f.hours };
        break;
      }
      case 'hostLimit': {
        const h = user(f.hostUserId);
        if (h?.hotelingHost) h.hotelingHost = { ...h.hotelingHost, enforceAssociationLimit: true, associationLimitHours: f.hours };
        break;
      }
      case 'noExtension': {
        const u = user(f.userId);
        if (!u) break;
        delete u.extension;
        if (f.number !== undefined) u.number = f.number;
        break;
      }
      case 'doNotDisturb': {
        const u = user(f.userId);
        if (u?.doNotDisturb) u.doNotDisturb = { ...u.doNotDisturb, active: true };
        break;
      }
    }
  }
  return d;
}

/** One line per fact, for schedules shown to people. */
export function describeFact(f: StartFact): string {
  switch (f.kind) {
    case 'forwarded': return `${f.userId} forwarded to ${f.to}${f.ringSplash ? ' (ring splash)' : ''}`;
    case 'agentState': return `${f.userId} agent ${f.state}`;
    case 'associated': return `${f.guestUserId} already at ${f.hostUserId}`;
    case 'guestLimit': return `${f.guestUserId} association limit ${f.hours} h`;
    case 'hostLimit': return `${f.hostUserId} enforces a ${f.hours} h limit`;
    case 'noExtension': return `${f.userId} has no extension${f.number !== undefined ? ` (number ${f.number})` : ''}`;
    case 'doNotDisturb': return `${f.userId} DND on`;
  }
}

const FIELDS: Record<StartFact['kind'], Record<string, 'string' | 'boolean' | 'hours' | 'string?'>> = {
  forwarded: { userId: 'string', to: 'string', ringSplash: 'boolean' },
  agentState: { userId: 'string', state: 'string' },
  associated: { guestUserId: 'string', hostUserId: 'string' },
  guestLimit: { guestUserId: 'string', hours: 'hours' },
  hostLimit: { hostUserId: 'string', hours: 'hours' },
  noExtension: { userId: 'string', number: 'string?' },
  doNotDisturb: { userId: 'string' },
};
const ACD_STATES = ['Sign-In', 'Available', 'Unavailable', 'Wrap-Up', 'Sign-Out'];

/** A starting fact read back from JSON, or what is wrong with it (`at` names it in the message). */
export function parseStartFact(x: unknown, at: string): StartFact | { error: string } {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return { error: `${at} is not an object` };
  const o = x as Record<string, unknown>;
  if (typeof o.kind !== 'string' || !Object.hasOwn(FIELDS, o.kind)) return { error: `${at}.kind must be one of ${Object.keys(FIELDS).join(', ')}` };
  for (const [field, type] of Object.entries(FIELDS[o.kind as StartFact['kind']])) {
    const v = o[field];
    const ok = type === 'hours' ? Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 999
      : type === 'string?' ? v === undefined || (typeof v === 'string' && v !== '') : type === 'string' ? typeof v === 'string' && v !== '' : typeof v === type;
    if (!ok) return { error: `${at}.${field} must be ${type === 'hours' ? 'an integer 1..999' : `a ${type.replace('?', '')}`}` };
  }
  if (o.kind === 'agentState' && !ACD_STATES.includes(o.state as string)) return { error: `${at}.state must be one of ${ACD_STATES.join(', ')}` };
  return o as unknown as StartFact;
}
