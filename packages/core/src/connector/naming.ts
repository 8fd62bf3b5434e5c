/**
 * Naming users back to each client in its own form (DESIGN §3, §8; issue 12 item 3). Clients
 * correlate events by the identifiers they sent: a login with agentID `3007` expects `3007` back,
 * not a BroadWorks user id.
 *
 * Devices: each monitor keeps the device as its MonitorStart named it (state.ts `Monitor.device`).
 * Agents, in this order:
 *   1. the last form in which the client on that link gave the agent as an agentID
 *      (`names[link][userId]`);
 *   2. the desk's own agent (no hoteling guest): the desk as the client named it — the monitor's
 *      device, or the request's device for GetAgentState;
 *   3. a guest the link never named, at a desk named by number: the guest's extension (or number);
 *   4. otherwise the short user id (`displayId`).
 * A closed link's names are forgotten.
 */
import { displayId, isDiallingNumber } from './identity.js';
import type { LinkId } from './io.js';
import type { ConnectorState } from './state.js';

/** The client on `link` gave `form` as the agentID of `userId`. */
export function rememberName(s: ConnectorState, link: LinkId, userId: string, form: string): void {
  // Own properties only: a link id is the shell's string, never trusted as a plain key.
  const names = Object.hasOwn(s.names, link) ? s.names[link]! : (s.names[link] = {});
  names[userId] = form.trim();
}

/** How to name agent `agentUserId` at desk `deskUserId` to the client on `link` that calls the desk `device`. */
export function agentName(s: ConnectorState, link: LinkId, device: string, deskUserId: string, agentUserId: string): string {
  const named = Object.hasOwn(s.names, link) ? s.names[link]![agentUserId] : undefined;
  if (named !== undefined) return named;
  if (agentUserId === deskUserId) return device.trim();
  if (isDiallingNumber(device)) {
    const p = s.users[agentUserId]?.profile;
    const n = p?.extension ?? p?.number;
    if (n !== undefined) return n;
  }
  return displayId(agentUserId, s.config.defaultDomain);
}

export function forgetLink(s: ConnectorState, link: LinkId): void {
  delete s.names[link];
}
