/** Issue 13 item 6: virtual time is anchored to a wall-clock epoch; every date is a real date. */
import { describe, expect, it } from 'vitest';
import { advance, createXsp, defaultDirectory, execute, isoFromMillis, userView } from '../../src/index.js';
import { ADMIN, agent, desk, SET } from './helpers.js';

const EPOCH = Date.parse('2026-03-04T05:06:07.089Z');

describe('epoch', () => {
  it('association dates are epoch + virtual time, on both sides', () => {
    const s = createXsp({ directory: defaultDirectory(), seed: 1, faults: 'none', epoch: EPOCH });
    const r = execute(s, ADMIN, { op: 'PUT HotelingGuest', userId: agent(1), body: { hostUserId: desk(101) } }, 90_000, SET);
    expect(userView(r.state, agent(1))?.hotelingGuest?.hostAssociationDateTime).toBe('2026-03-04T05:07:37.089Z');
    const host = execute(r.state, ADMIN, { op: 'GET HotelingHost', userId: desk(101) }, 90_000).outcome;
    expect(host).toMatchObject({ body: { info: { guestAssociationDateTime: '2026-03-04T05:07:37.089Z' } } });
  });

  it('without an epoch the model uses a fixed real date (2025-01-01), never 1970', () => {
    const s = createXsp({ directory: defaultDirectory(), seed: 1, faults: 'none' });
    const r = execute(s, ADMIN, { op: 'PUT HotelingGuest', userId: agent(1), body: { hostUserId: desk(101) } }, 1_000, SET);
    expect(userView(r.state, agent(1))?.hotelingGuest?.hostAssociationDateTime).toBe('2025-01-01T00:00:01.000Z');
  });

  it('same seed + epoch + requests = the same deliveries, byte for byte; another epoch only moves the dates', () => {
    const runWith = (epoch: number) => {
      let s = createXsp({ directory: defaultDirectory(), seed: 9, faults: 'hostile', epoch });
      s = execute(s, ADMIN, { op: 'PUT HotelingGuest', userId: agent(3), body: { hostUserId: desk(103) } }, 5, SET).state;
      s = execute(s, ADMIN, { op: 'PUT CallCenter', userId: agent(3), body: { agentACDState: 'Available' } }, 6, SET).state;
      return JSON.stringify([userView(s, agent(3)), advance(s, 10).deliveries, s.rng]);
    };
    expect(runWith(EPOCH)).toBe(runWith(EPOCH));
    expect(runWith(EPOCH + 86_400_000)).not.toBe(runWith(EPOCH));
    expect(runWith(EPOCH + 86_400_000).replaceAll('2026-03-05', '2026-03-04')).toBe(runWith(EPOCH));
  });

  it('isoFromMillis prints dates around today correctly (the epoch is a real ms timestamp)', () => {
    expect(isoFromMillis(EPOCH)).toBe('2026-03-04T05:06:07.089Z');
  });
});
