/**
 * Do Not Disturb (XSD `DoNotDisturb`: `active`, `ringSplash`). Changed by Xsi (PUT), and by the
 * user's phone (the DND key, an external actor). Every change emits a DoNotDisturbEvent to the
 * "Do Not Disturb" package; a PUT that changes nothing answers 200 and emits nothing.
 */
import type { DoNotDisturbInfo, XsiOutcome } from '@csta-bw/core';
import type { Draft } from './draft.js';
import { xspError } from './errors.js';
import { emitUserEvent } from './events.js';

/** Writes the new settings; emits DoNotDisturbEvent if they differ. */
function applyDoNotDisturb(d: Draft, userId: string, next: DoNotDisturbInfo, now: number): void {
  const cur = d.user(userId)?.doNotDisturb;
  if (!cur || (cur.active === next.active && cur.ringSplash === next.ringSplash)) return;
  d.userMut(userId).doNotDisturb = next;
  emitUserEvent(d, userId, 'Do Not Disturb', { type: 'DoNotDisturbEvent', info: doNotDisturbView(next) }, now);
}

/** The document as GET and events show it: every element present (ringSplash false by default). */
export function doNotDisturbView(v: DoNotDisturbInfo): DoNotDisturbInfo {
  return { active: v.active, ringSplash: v.ringSplash ?? false };
}

/** PUT DoNotDisturb {active?, ringSplash?} (partial update). */
export function putDoNotDisturb(d: Draft, userId: string, body: unknown, now: number): XsiOutcome {
  const cur = d.user(userId)?.doNotDisturb;
  if (!cur) return xspError('DND_NOT_ASSIGNED', userId);
  const b = (body ?? {}) as { active?: unknown; ringSplash?: unknown };
  if (b.active !== undefined && typeof b.active !== 'boolean') return xspError('SCHEMA_VIOLATION', 'active must be a boolean');
  if (b.ringSplash !== undefined && typeof b.ringSplash !== 'boolean') return xspError('SCHEMA_VIOLATION', 'ringSplash must be a boolean');
  const next: DoNotDisturbInfo = { ...cur };
  if (typeof b.active === 'boolean') next.active = b.active;
  if (typeof b.ringSplash === 'boolean') next.ringSplash = b.ringSplash;
  applyDoNotDisturb(d, userId, next, now);
  return { status: 200 };
}
