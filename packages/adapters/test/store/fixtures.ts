/** Pairing records for the store tests, written from DESIGN §9 (no real deployment's data). */
import type { Pairing, PairingChange } from '@csta-bw/core';

export function pairing(host: string, guest: string, phase: Pairing['phase'] = 'seated'): Pairing {
  return { host, guest, phase, restore: { forwardTo: guest.replace(/@.*/, ''), forwarding: { active: false } }, owed: [], rounds: 0 };
}

export const seat = (host: string, guest: string): PairingChange => ({ host, pairing: pairing(host, guest) });
export const forget = (host: string): PairingChange => ({ host, pairing: null });
