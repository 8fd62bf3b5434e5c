/**
 * `GET /user/<guest>/directories/HotelingHosts` (reference §4.3): the hosts a guest may pick.
 *
 * A host is listed when its Hoteling Host service is active and it is idle — or already hosts
 * this guest. A user never appears in its own list (self-association is refused, §4.4). Pure
 * read: the state is not changed.
 */
import { xspError, type XspErrorOutcome } from './errors.js';
import type { XspState } from './state.js';

export function availableHotelingHosts(s: XspState, guestUserId: string): { hostUserIds: string[] } | XspErrorOutcome {
  const guest = Object.hasOwn(s.users, guestUserId) ? s.users[guestUserId] : undefined;
  if (!guest) return xspError('UNKNOWN_USER', guestUserId);
  if (!guest.guest) return xspError('GUEST_NOT_ASSIGNED', guestUserId);
  const hostUserIds = Object.values(s.users)
    .filter((u) => u.userId !== guestUserId && u.host?.active === true)
    .filter((u) => u.host?.guestUserId === undefined || u.host.guestUserId === guestUserId)
    .map((u) => u.userId)
    .sort();
  return { hostUserIds };
}
