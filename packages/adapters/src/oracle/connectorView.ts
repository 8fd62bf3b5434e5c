/**
 * The one place the oracle reads the connector's internals. Everything else the oracle judges
 * comes from outside: what clients were told, what was sent to the XSP, and the simulator's truth.
 * The few facts below have no outside source (what the connector believes — I1 compares exactly
 * that —, which associations it made, which monitors are open, which jobs are alive), so when the
 * connector's state changes shape only this file follows it.
 */
import type { AgentACDState, ConnectorState, ForwardingInfo } from '@csta-bw/core';

export interface HeldUser {
  userId: string;
  /** The connector has read the user (its beliefs below are meaningful). */
  known: boolean;
  agentState: AgentACDState | undefined;
  forwarding: ForwardingInfo | undefined;
  /** Undefined: the user is no Hoteling Guest (as far as the connector knows). */
  guest: { hostUserId: string | undefined } | undefined;
  /** Every form a forward to this user may take: extension, number, user id. */
  names: string[];
}

export interface OpenMonitor { crossRefId: string; link: string; device: string; userId: string }

export interface LiveJob { id: string; kind: string; arrivedAt: number; hasClient: boolean }

export function timeouts(c: ConnectorState): { sagaTimeoutMs: number; stepTimeoutMs: number } {
  return { sagaTimeoutMs: c.config.sagaTimeoutMs, stepTimeoutMs: c.config.stepTimeoutMs };
}

export const defaultDomain = (c: ConnectorState): string => c.config.defaultDomain;

export function heldUsers(c: ConnectorState): HeldUser[] {
  return Object.values(c.users).map((u) => ({
    userId: u.userId,
    known: u.status === 'known',
    agentState: u.agentState,
    forwarding: u.forwarding,
    guest: u.guest ? { hostUserId: u.guest.hostUserId } : undefined,
    names: [u.profile?.extension, u.profile?.number, u.userId].filter((x): x is string => x !== undefined),
  }));
}

export const isHeld = (c: ConnectorState, userId: string): boolean => Object.hasOwn(c.users, userId);

/** Associations the connector made and still stands behind: host → guest. */
export function ourAssociations(c: ConnectorState): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [host, p] of Object.entries(c.pairings)) if (p.phase === 'seated' || p.phase === 'releasing') out[host] = p.guest;
  return out;
}

export function openMonitors(c: ConnectorState): OpenMonitor[] {
  return Object.values(c.monitors).map((m) => ({ crossRefId: m.crossRefId, link: m.link, device: m.device, userId: m.userId }));
}

export function liveJobs(c: ConnectorState): LiveJob[] {
  return Object.values(c.jobs).map((j) => ({ id: j.id, kind: j.kind, arrivedAt: j.arrivedAt, hasClient: j.client !== undefined }));
}

/** Repair or cleanup work is still owed: the desks it concerns will change whatever comes next. */
export function owesRepairs(c: ConnectorState): boolean {
  return Object.values(c.pairings).some((p) => p.owed.length > 0) || Object.values(c.jobs).some((j) => j.kind === 'repair' || j.kind === 'cleanup');
}
