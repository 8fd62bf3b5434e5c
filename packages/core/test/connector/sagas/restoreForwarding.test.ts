/**
 * DESIGN §4.5 step 2: putting a host's CallForwardingAlways back after its guest leaves — to its
 * pre-login value (inactive when never known), only while it still points at that guest, retried
 * until the deadline; and never back to the guest that is leaving (a "before" that already pointed
 * at the guest is a leftover of an earlier attempt, not the desk's own setting).
 */
import { describe, expect, it } from 'vitest';
import { restoreForwardingCommand } from '../../../src/connector/sagas/restoreForwarding.js';
import type { ForwardingInfo } from '../../../src/xsi/types.js';

const H = 'desk-101@example.com';

describe('restoreForwardingCommand', () => {
  it('is a persistent PUT on the host, sent only while the host still points at the guest', () => {
    expect(restoreForwardingCommand('restoreForwarding', H, '3001', { active: true, forwardToPhoneNumber: '5551234' })).toEqual({
      step: 'restoreForwarding',
      persistent: true,
      command: { op: 'PUT CallForwardingAlways', userId: H, body: { active: true, forwardToPhoneNumber: '5551234' } },
      onlyIf: { forwardingPointsTo: { userId: H, target: '3001' } },
    });
  });

  it.each<[string, ForwardingInfo | undefined, { active: boolean; forwardToPhoneNumber: string | null }]>([
    ['never known → off', undefined, { active: false, forwardToPhoneNumber: null }],
    ['off, no number → off', { active: false }, { active: false, forwardToPhoneNumber: null }],
    ['off with a number → off, number kept', { active: false, forwardToPhoneNumber: '5551234' }, { active: false, forwardToPhoneNumber: '5551234' }],
    ['on to another number → on to it', { active: true, forwardToPhoneNumber: '5551234' }, { active: true, forwardToPhoneNumber: '5551234' }],
    ['on without a number → on', { active: true }, { active: true, forwardToPhoneNumber: null }],
    ['on to the leaving guest (a leftover) → off', { active: true, forwardToPhoneNumber: '3001' }, { active: false, forwardToPhoneNumber: '3001' }],
    ['on to the leaving guest in another notation → off', { active: true, forwardToPhoneNumber: 'tel:30-01' }, { active: false, forwardToPhoneNumber: 'tel:30-01' }],
    ['off to the guest\'s number → off', { active: false, forwardToPhoneNumber: '3001' }, { active: false, forwardToPhoneNumber: '3001' }],
  ])('before %s', (_case, before, body) => {
    const p = restoreForwardingCommand('undo.forwardHost', H, '3001', before);
    expect(p.command).toEqual({ op: 'PUT CallForwardingAlways', userId: H, body });
  });
});
