/**
 * Test support: the connector's old fields `ours`, `restore` and `repairs`, computed from the
 * pairing records (connector/pairings.ts) so the tests written against them keep their
 * assertions unchanged (issue 14 acceptance). They are non-enumerable getters on the state
 * object: `toEqual`, JSON and `structuredClone` do not see them, and the core never reads them.
 */
import { desksOwing, ourAssociations, pairedDesks, pairingAt, type ConnectorState, type ForwardingInfo, type SendParams } from '../../../src/index.js';

export interface LegacyFields {
  /** Associations this connector made and still believes in: host → guest. */
  ours: Record<string, string>;
  /** How to undo our forwarding of a host when its guest leaves. */
  restore: Record<string, { guestUserId: string; forwardTo: string; before: ForwardingInfo | undefined }>;
  /** Steps owed, per desk, not yet taken up by a repair job. */
  repairs: { hostUserId: string; guestUserId: string; steps: SendParams[]; rounds: number }[];
}

export type LegacyState = ConnectorState & LegacyFields;

function restoreOf(s: ConnectorState): LegacyFields['restore'] {
  const out: LegacyFields['restore'] = {};
  for (const host of pairedDesks(s)) {
    const p = pairingAt(s, host)!;
    // A claim is a login in flight: its plan becomes the desk's once the login is done.
    if (p.restore && p.phase !== 'claimed') out[host] = { guestUserId: p.guest, forwardTo: p.restore.forwardTo, before: p.restore.forwarding };
  }
  return out;
}

function repairsOf(s: ConnectorState): LegacyFields['repairs'] {
  const taken = new Set(Object.values(s.jobs).flatMap((j) => (j.kind === 'repair' && j.desk ? [j.desk.host] : [])));
  return desksOwing(s).filter((h) => !taken.has(h)).map((h) => {
    const p = pairingAt(s, h)!;
    // The old items were per guest, so their steps did not name it (`for`, pairings.ts).
    return { hostUserId: h, guestUserId: p.guest, steps: p.owed.map(({ for: _guest, ...st }) => st), rounds: p.rounds };
  });
}

/** The same state object, with the old fields readable on it. */
export function withLegacyFields(s: ConnectorState): LegacyState {
  if (!Object.hasOwn(s, 'ours')) {
    Object.defineProperties(s, {
      ours: { get: () => ourAssociations(s), enumerable: false, configurable: true },
      restore: { get: () => restoreOf(s), enumerable: false, configurable: true },
      repairs: { get: () => repairsOf(s), enumerable: false, configurable: true },
    });
  }
  return s as LegacyState;
}
