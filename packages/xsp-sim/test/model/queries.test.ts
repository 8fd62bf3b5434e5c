import { describe, expect, it } from 'vitest';
import { authenticate, snapshot, stateHash, userView } from '../../src/index.js';
import { agent, desk, fresh, ok, withChannel } from './helpers.js';

describe('queries', () => {
  it('stateHash changes with the BroadWorks-visible state only', () => {
    const s = fresh();
    const h0 = stateHash(s);
    expect(h0).toMatch(/^[0-9a-f]{14}$/);
    expect(stateHash(fresh('hostile', 99))).toBe(h0); // seed and profile are not BroadWorks state
    expect(stateHash(withChannel(s).state)).toBe(h0); // neither are channels
    const moved = ok(s, { op: 'PUT CallCenter', userId: agent(1), body: { agentACDState: 'Available' } });
    expect(stateHash(moved)).not.toBe(h0);
    const back = ok(moved, { op: 'PUT CallCenter', userId: agent(1), body: { agentACDState: 'Sign-Out' } });
    expect(stateHash(back)).toBe(h0);
    // The same association made at different times hashes the same.
    const a = ok(s, { op: 'PUT HotelingGuest', userId: agent(1), body: { hostUserId: desk(101) } }, 1);
    const b = ok(s, { op: 'PUT HotelingGuest', userId: agent(1), body: { hostUserId: desk(101) } }, 99);
    expect(stateHash(a)).toBe(stateHash(b));
    expect(stateHash(a)).not.toBe(h0);
  });

  it('snapshot is plain JSON with users, channels and subscriptions', () => {
    const { state, channelId } = withChannel(fresh());
    const snap = snapshot(state) as { users: Record<string, unknown>; channels: { channelId: string }[] };
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
    expect(Object.keys(snap.users)).toHaveLength(60);
    expect(snap.channels.map((c) => c.channelId)).toEqual([channelId]);
  });

  it('userView of an unknown user is undefined; authenticate checks passwords', () => {
    expect(userView(fresh(), 'ghost@example.com')).toBeUndefined();
    expect(authenticate(fresh(), agent(1), 'secret')).toBe(true);
    expect(authenticate(fresh(), agent(1), 'wrong')).toBe(false);
    expect(authenticate(fresh(), 'admin@example.com', 'secret')).toBe(true);
    expect(authenticate(fresh(), 'ghost@example.com', 'secret')).toBe(false);
  });
});
