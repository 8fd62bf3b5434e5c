/**
 * Read-only views for oracles (property tests, the explorer, the HTTP control API). None of them
 * changes the state.
 */
import type { AgentACDState, DoNotDisturbInfo, ForwardingInfo, HotelingGuestInfo, RemoteOfficeInfo } from '@csta-bw/core';
import type { XspState } from './state.js';
import { guestInfo } from './views.js';

export interface UserView {
  agentACDState?: AgentACDState;
  /** While Unavailable with a reason. */
  agentUnavailableCode?: string;
  forwarding?: ForwardingInfo;
  hotelingGuest?: HotelingGuestInfo;
  doNotDisturb?: DoNotDisturbInfo;
  remoteOffice?: RemoteOfficeInfo;
  /** Set on a host while a guest is associated with it. */
  hostedGuestUserId?: string;
}

/** The BroadWorks truth about one user (forwarding in its stored, plain form). */
export function userView(s: XspState, userId: string): UserView | undefined {
  if (!Object.hasOwn(s.users, userId)) return undefined;
  const u = s.users[userId];
  if (!u) return undefined;
  const v: UserView = {};
  if (u.agentACDState !== undefined) v.agentACDState = u.agentACDState;
  if (u.agentUnavailableCode !== undefined) v.agentUnavailableCode = u.agentUnavailableCode;
  if (u.forwarding) v.forwarding = { ...u.forwarding };
  if (u.doNotDisturb) v.doNotDisturb = { active: u.doNotDisturb.active, ringSplash: u.doNotDisturb.ringSplash ?? false };
  if (u.remoteOffice) v.remoteOffice = { ...u.remoteOffice };
  const g = guestInfo(s, u);
  if (g) v.hotelingGuest = g;
  if (u.host?.guestUserId !== undefined) v.hostedGuestUserId = u.host.guestUserId;
  return v;
}

/**
 * Nothing in flight: no command waiting to execute or answer, no event waiting for delivery or
 * an ack, no channel termination to report. Only long-lived timers (expiries) may remain.
 */
export function isQuiescent(s: XspState): boolean {
  if (Object.keys(s.pending).length > 0) return false;
  return !s.queue.some((i) => i.kind === 'execute' || i.kind === 'reply' || i.kind === 'deliver' || i.kind === 'ackTimeout' || i.kind === 'channelTerminated');
}

/** True when the credentials are those of a user or of the group admin. */
export function authenticate(s: XspState, userId: string, password: string): boolean {
  if (userId === s.adminUserId) return password === s.adminPassword;
  return Object.hasOwn(s.users, userId) && s.users[userId]?.password === password;
}

/** A plain dump for `/_sim/state`: users, subscriptions, channels, un-acked events, agenda size. */
export function snapshot(s: XspState): unknown {
  const users: Record<string, UserView> = {};
  for (const id of Object.keys(s.users)) {
    const v = userView(s, id);
    if (v) users[id] = v;
  }
  return {
    domain: s.domain,
    groupId: s.groupId,
    faults: s.faults,
    postSignInState: s.postSignInState,
    users,
    subscriptions: Object.values(s.subscriptions).map((x) => ({ ...x, target: { ...x.target } })),
    channels: Object.values(s.channels).map((c) => ({ ...c })),
    pendingEventIds: Object.keys(s.pending),
    agenda: { size: s.queue.length, nextDueAt: s.queue[0]?.at ?? null },
  };
}

/**
 * A cheap structural hash of the BroadWorks-visible service state (agent states, forwarding,
 * hoteling settings and associations), for deduplication in exhaustive exploration. Association
 * times, subscriptions, channels and the agenda are left out on purpose: two states that differ
 * only in when something happened look the same to a client's final view.
 */
export function stateHash(s: XspState): string {
  let text = '';
  for (const id of Object.keys(s.users).sort()) {
    const u = s.users[id];
    if (!u) continue;
    const f = u.forwarding;
    const g = u.guest;
    const h = u.host;
    text += `${id}|${u.agentACDState ?? '-'}|${f ? `${f.active}:${f.forwardToPhoneNumber ?? ''}:${f.ringSplash ?? ''}` : '-'}|` +
      `${g ? `${g.active}:${g.enableAssociationLimit}:${g.associationLimitHours}:${g.hostUserId ?? ''}` : '-'}|` +
      `${h ? `${h.active}:${h.enforceAssociationLimit}:${h.associationLimitHours}:${h.guestUserId ?? ''}` : '-'}\n`;
  }
  return hashText(text);
}

/** cyrb53 (public domain): a fast 53-bit string hash (two 32-bit lanes), as hex. */
export function hashText(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2_654_435_761);
    h2 = Math.imul(h2 ^ ch, 1_597_334_677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2_246_822_507) ^ Math.imul(h2 ^ (h2 >>> 13), 3_266_489_909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2_246_822_507) ^ Math.imul(h1 ^ (h1 >>> 13), 3_266_489_909);
  return (4_294_967_296 * (2_097_151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}
