/**
 * What the oracle reads off the clients' side of a run: which users a CSTA request names, its
 * answer, and whether another change could have touched the same users (the oracle judges an
 * outcome only where the request had those users to itself).
 */
import type { CstaRequest } from '@csta-bw/core';
import type { ClientAnswer, VirtualWorld } from '../virtualWorld.js';
import { defaultDomain } from './connectorView.js';

export type RequestRecord = VirtualWorld['requests'] extends Map<string, infer R> ? R : never;

export function userIdOf(w: VirtualWorld, id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  return id.includes('@') ? id : `${id}@${defaultDomain(w.connector)}`;
}

/** Users a request names (device, agent, monitored object), as user ids. */
export function usersOf(w: VirtualWorld, r: CstaRequest): string[] {
  const ids: (string | undefined)[] = [];
  if ('device' in r) ids.push(r.device);
  if ('agentID' in r) ids.push(r.agentID);
  if ('monitorObject' in r) ids.push(r.monitorObject);
  return ids.map((i) => userIdOf(w, i)).filter((i): i is string => i !== undefined);
}

export function answerOf(w: VirtualWorld, key: string): ClientAnswer | undefined {
  return w.answers.find((a) => `${a.link}#${a.invokeId}` === key);
}

export const isReadOnly = (q: CstaRequest): boolean => q.service === 'GetAgentState' || q.service === 'GetForwarding' || q.service === 'MonitorStart';

/**
 * Whether another change request (not one of `except`) may have changed `users` since `from`: one
 * naming any of them and still running at or after `from`, or any change request at all running
 * while the judged one was (`from`…`settledAt`) — a login also moves its agent off the desk it sat
 * at, so before the judged request settled no request is innocent. Requests arriving after `until`
 * do not count.
 */
export function otherChangeSince(w: VirtualWorld, from: number, settledAt: number, users: ReadonlySet<string>, except: ReadonlySet<string>, until = Infinity): boolean {
  for (const [k, o] of w.requests) {
    if (except.has(k) || isReadOnly(o.request) || o.at > until) continue;
    const a = answerOf(w, k);
    const end = a ? a.at : Infinity;
    if (end < from) continue;
    if (o.at <= settledAt || usersOf(w, o.request).some((u) => users.has(u))) return true;
  }
  return false;
}
