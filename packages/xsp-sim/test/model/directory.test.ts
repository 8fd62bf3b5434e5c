import { describe, expect, it } from 'vitest';
import { createXsp, defaultDirectory, userView, validateDirectory } from '../../src/index.js';

const bad = (mutate: (d: Record<string, unknown> & { users: Record<string, unknown>[] }) => void): string => {
  const d = JSON.parse(JSON.stringify(defaultDirectory()));
  mutate(d);
  const r = validateDirectory(d);
  return 'error' in r ? r.error : 'accepted';
};

describe('defaultDirectory (DESIGN §6.5)', () => {
  it('has desks 101–110 and agents 001–050 with the documented services', () => {
    const d = defaultDirectory();
    expect(d.domain).toBe('example.com');
    expect(d.adminUserId).toBe('admin@example.com');
    expect(d.users).toHaveLength(60);
    expect(d.users.every((u) => u.password === 'secret')).toBe(true);
    const s = createXsp({ directory: d, seed: 1, faults: 'none' });
    expect(userView(s, 'desk-110@example.com')?.agentACDState).toBe('Available');
    expect(userView(s, 'desk-101@example.com')).toEqual({
      agentACDState: 'Sign-Out', forwarding: { active: false, ringSplash: false }, doNotDisturb: { active: false, ringSplash: false }, remoteOffice: { active: false },
    });
    // The group's enterprise (= service provider) id and its unavailable codes (README "Default directory").
    expect(d.serviceProviderId).toBe('example.com');
    expect(d.unavailableCodes?.codes.map((c) => c.code)).toEqual(['1001', '1002', '1003', '1004', '1005']);
    expect(d.users.find((u) => u.userId === 'desk-107@example.com')?.extension).toBe('2107');
    expect(d.users.find((u) => u.userId === 'agent-050@example.com')).toMatchObject({
      extension: '3050', hotelingGuest: { active: true, enableAssociationLimit: false }, callCenter: { agentACDState: 'Sign-Out' },
    });
    expect(d.callCenters?.[0]?.agentUserIds).toHaveLength(60);
  });

  it('validates and survives a JSON round trip', () => {
    expect(validateDirectory(JSON.parse(JSON.stringify(defaultDirectory())))).toEqual(defaultDirectory());
  });
});

describe('validateDirectory', () => {
  it('names the offending path', () => {
    expect(validateDirectory(null)).toEqual({ error: 'directory: expected an object' });
    expect(bad((d) => { d.users = 'x' as never; })).toBe('directory.users: expected an array');
    expect(bad((d) => { (d.users[3] as { callCenter: unknown }).callCenter = { agentACDState: 'Ready' }; })).toMatch(/^directory\.users\[3\]\.callCenter\.agentACDState: expected one of/);
    expect(bad((d) => { d.users[2] = { ...d.users[1] }; })).toMatch(/users\[2\]\.userId: duplicate user id/);
    expect(bad((d) => { (d.users[11] as { extension: string }).extension = '3001'; })).toMatch(/users\[11\]\.extension: 3001 is already used by agent-001/);
    expect(bad((d) => { (d.users[10] as { hotelingGuest: { associationLimitHours: number } }).hotelingGuest.associationLimitHours = 1000; })).toMatch(/associationLimitHours: expected an integer 1\.\.999/);
    expect(bad((d) => { (d.users[10] as { userId: string }).userId = 'no-domain'; })).toMatch(/users\[10\]\.userId: "no-domain" does not match/);
    expect(bad((d) => { (d.users[0] as { forwarding: unknown }).forwarding = { active: true }; })).toMatch(/users\[0\]\.forwarding: active forwarding needs forwardToPhoneNumber/);
  });

  it('checks pre-provisioned associations', () => {
    const hostOf = (hostUserId: string) => (d: { users: Record<string, unknown>[] }) => {
      (d.users[10] as { hotelingGuest: { hostUserId?: string } }).hotelingGuest.hostUserId = hostUserId;
    };
    expect(bad(hostOf('agent-002@example.com'))).toMatch(/is not a user with Hoteling Host/);
    expect(bad(hostOf('agent-001@example.com'))).toMatch(/a user cannot host itself/);
    expect(bad((d) => { hostOf('desk-101@example.com')(d); (d.users[11] as { hotelingGuest: { hostUserId?: string } }).hotelingGuest.hostUserId = 'desk-101@example.com'; }))
      .toMatch(/already hosts agent-001/);
    const ok = JSON.parse(JSON.stringify(defaultDirectory()));
    hostOf('desk-101@example.com')(ok);
    const dir = validateDirectory(ok);
    if ('error' in dir) throw new Error(dir.error);
    const s = createXsp({ directory: dir, seed: 1, faults: 'none' });
    expect(userView(s, 'desk-101@example.com')?.hostedGuestUserId).toBe('agent-001@example.com');
    expect(userView(s, 'agent-001@example.com')?.hotelingGuest?.hostAssociationDateTime).toBe('2025-01-01T00:00:00.000Z');
  });
});
