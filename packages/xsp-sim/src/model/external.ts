/**
 * External actors (DESIGN §6.4): changes BroadWorks sees from elsewhere — the self-care portal
 * (associate / release, Remote Office), a host force-releasing its guest, the agent's phone
 * (agent state, the DND key), a forwarding change (*72 or portal), the network dropping every
 * event channel. csta-bw does not use DND or Remote Office: under flaky/hostile they are noise
 * the connector must tolerate. They go through the same rules as
 * Xsi commands (as the group admin), so they emit exactly the events a real change would, and
 * they may fail the same way (a busy host, …): the outcome says so.
 *
 * `drawExternalAction` is the seeded actor: under `flaky`/`hostile` it draws when the next
 * spontaneous action happens and what it is; the caller applies it at that time. Under `none`
 * nothing happens by itself, while an explicit `applyExternal` always works.
 */
import { AGENT_ACD_STATES, type AgentACDState, type XsiCommand, type XsiOutcome } from '@csta-bw/core';
import { terminateAllChannels } from './channels.js';
import { executeIn } from './commands.js';
import { Draft } from './draft.js';
import { FAULT_RATES } from './faults.js';
import type { XspState } from './state.js';

export type ExternalAction =
  | { kind: 'portalAssociate'; guestUserId: string; hostUserId: string }
  | { kind: 'portalRelease'; guestUserId: string }
  | { kind: 'hostForceRelease'; hostUserId: string }
  | { kind: 'phoneSetAgentState'; userId: string; state: AgentACDState }
  | { kind: 'setForwarding'; userId: string; active: boolean; forwardToPhoneNumber?: string }
  /** The DND key of the user's phone. */
  | { kind: 'phoneSetDoNotDisturb'; userId: string; active: boolean }
  /** Remote Office changed in the portal. */
  | { kind: 'setRemoteOffice'; userId: string; active: boolean; remoteOfficeNumber?: string }
  /** Terminates every open channel (reason NonResponsiveChannel). */
  | { kind: 'channelTerminate' };

function asCommand(action: Exclude<ExternalAction, { kind: 'channelTerminate' }>): XsiCommand {
  switch (action.kind) {
    case 'portalAssociate':
      return { op: 'PUT HotelingGuest', userId: action.guestUserId, body: { hostUserId: action.hostUserId } };
    case 'portalRelease':
      return { op: 'PUT HotelingGuest', userId: action.guestUserId, body: { hostUserId: null } };
    case 'hostForceRelease':
      return { op: 'PUT HotelingHost', userId: action.hostUserId, body: { removeGuestAssociation: true } };
    case 'phoneSetAgentState':
      return { op: 'PUT CallCenter', userId: action.userId, body: { agentACDState: action.state } };
    case 'setForwarding': {
      const body: { active: boolean; forwardToPhoneNumber?: string } = { active: action.active };
      if (action.forwardToPhoneNumber !== undefined) body.forwardToPhoneNumber = action.forwardToPhoneNumber;
      return { op: 'PUT CallForwardingAlways', userId: action.userId, body };
    }
    case 'phoneSetDoNotDisturb':
      return { op: 'PUT DoNotDisturb', userId: action.userId, body: { active: action.active } };
    case 'setRemoteOffice': {
      const body: { active: boolean; remoteOfficeNumber?: string } = { active: action.active };
      if (action.remoteOfficeNumber !== undefined) body.remoteOfficeNumber = action.remoteOfficeNumber;
      return { op: 'PUT RemoteOffice', userId: action.userId, body };
    }
  }
}

/** Applies a change made elsewhere, as of `now`. A refused action leaves the state unchanged. */
export function applyExternal(s: XspState, action: ExternalAction, now: number): { state: XspState; outcome: XsiOutcome } {
  const d = new Draft(s);
  if (action.kind === 'channelTerminate') {
    terminateAllChannels(d, 'NonResponsiveChannel', now);
    return { state: d.finish(), outcome: { status: 200 } };
  }
  const outcome = executeIn(d, s.adminUserId, asCommand(action), now);
  return 'status' in outcome && outcome.status === 200 ? { state: d.finish(), outcome } : { state: s, outcome };
}

type Drawer = (d: Draft) => ExternalAction | undefined;

const drawers: readonly Drawer[] = [
  (d) => {
    const agents = Object.values(d.s.users).filter((u) => u.agentACDState !== undefined);
    const u = d.pick(agents);
    const state = d.pick(AGENT_ACD_STATES);
    return u && state ? { kind: 'phoneSetAgentState', userId: u.userId, state } : undefined;
  },
  (d) => {
    const users = Object.values(d.s.users);
    const u = d.pick(users.filter((x) => x.forwarding));
    if (!u) return undefined;
    const active = d.chance(0.5);
    const to = d.pick(users.filter((x) => x.userId !== u.userId && x.extension !== undefined));
    const action: ExternalAction = { kind: 'setForwarding', userId: u.userId, active };
    if (to?.extension !== undefined) action.forwardToPhoneNumber = to.extension;
    return action;
  },
  (d) => {
    const users = Object.values(d.s.users);
    const g = d.pick(users.filter((x) => x.guest?.active));
    const h = d.pick(users.filter((x) => x.host?.active && x.userId !== g?.userId));
    return g && h ? { kind: 'portalAssociate', guestUserId: g.userId, hostUserId: h.userId } : undefined;
  },
  (d) => {
    const g = d.pick(Object.values(d.s.users).filter((x) => x.guest?.hostUserId !== undefined));
    return g ? { kind: 'portalRelease', guestUserId: g.userId } : undefined;
  },
  (d) => {
    const h = d.pick(Object.values(d.s.users).filter((x) => x.host?.guestUserId !== undefined));
    return h ? { kind: 'hostForceRelease', hostUserId: h.userId } : undefined;
  },
  (d) => {
    const u = d.pick(Object.values(d.s.users).filter((x) => x.doNotDisturb));
    return u ? { kind: 'phoneSetDoNotDisturb', userId: u.userId, active: d.chance(0.5) } : undefined;
  },
  (d) => {
    const u = d.pick(Object.values(d.s.users).filter((x) => x.remoteOffice));
    if (!u) return undefined;
    // A number from the North American fictional range 555-01xx, drawn like any other value.
    return d.chance(0.5)
      ? { kind: 'setRemoteOffice', userId: u.userId, active: true, remoteOfficeNumber: `555${String(100 + d.randomInt(0, 99)).padStart(4, '0')}` }
      : { kind: 'setRemoteOffice', userId: u.userId, active: false };
  },
];

/**
 * The next spontaneous action and when it happens (`at` > `now`), or undefined under `none` or
 * when the directory offers nothing to change. The returned state carries the advanced PRNG.
 */
export function drawExternalAction(s: XspState, now: number): { state: XspState; at: number; action: ExternalAction } | undefined {
  const rates = FAULT_RATES[s.faults];
  if (!rates.externalIntervalMs) return undefined;
  const d = new Draft(s);
  const at = now + d.randomInt(rates.externalIntervalMs[0], rates.externalIntervalMs[1]);
  if (d.chance(rates.pChannelTerminate)) return { state: d.finish(), at, action: { kind: 'channelTerminate' } };
  // Start at a random drawer; fall through to the next when it has nothing to act on.
  const first = d.randomInt(0, drawers.length - 1);
  for (let i = 0; i < drawers.length; i++) {
    const action = (drawers[(first + i) % drawers.length] as Drawer)(d);
    if (action) return { state: d.finish(), at, action };
  }
  return undefined;
}
