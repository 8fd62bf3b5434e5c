/**
 * DESIGN §3 naming: a CSTA device/agentID is a full user id, a bare user part (@defaultDomain
 * appended), or an extension/number learnt from a profile; how users are named back to clients;
 * where a host is forwarded for a guest. Mutation testing showed these rules were reached only
 * indirectly (and the number lookup not at all).
 */
import { describe, expect, it } from 'vitest';
import { displayId, forwardTargetOf, normaliseNumber, numberKeys, resolveUserId, sameNumber } from '../../src/connector/identity.js';
import type { UserRecord } from '../../src/connector/state.js';

const DOMAIN = 'example.com';
const user = (userId: string, profile?: UserRecord['profile']): UserRecord =>
  profile === undefined ? { userId, status: 'known', subscribed: true } : { userId, status: 'known', subscribed: true, profile };

const USERS: Record<string, UserRecord> = {
  'agent-001@example.com': user('agent-001@example.com'),
  'desk-101@example.com': user('desk-101@example.com', { extension: '3101', number: '+1-202-555-0101' }),
  'desk-102@example.com': user('desk-102@example.com', { number: '+12025550102' }),
};

/** The number index (numberPlan.ts) as the profiles above fill it. */
const NUMBERS: Record<string, string> = Object.fromEntries(
  Object.values(USERS).flatMap((u) => (u.profile ? numberKeys(u.profile).map((k) => [k, u.userId] as const) : [])),
);

describe('resolveUserId', () => {
  it('takes a full user id as it is, trimmed', () => {
    expect(resolveUserId('  agent-009@other.net\t', NUMBERS, DOMAIN)).toEqual({ userId: 'agent-009@other.net' });
  });

  it('appends the default domain to a bare user part, trimmed', () => {
    expect(resolveUserId(' desk-101 ', NUMBERS, DOMAIN)).toEqual({ userId: 'desk-101@example.com' });
  });

  it('a user part that merely starts with digits is a user part, not a number', () => {
    expect(resolveUserId('3101desk', NUMBERS, DOMAIN)).toEqual({ userId: '3101desk@example.com' });
  });

  it('finds a user by extension or by number, in any punctuation', () => {
    expect(resolveUserId('3101', NUMBERS, DOMAIN)).toEqual({ userId: 'desk-101@example.com' });
    expect(resolveUserId('+12025550101', NUMBERS, DOMAIN)).toEqual({ userId: 'desk-101@example.com' });
    expect(resolveUserId('+1-202-555-0102', NUMBERS, DOMAIN)).toEqual({ userId: 'desk-102@example.com' });
  });

  it('a number written as normaliseNumber reads it — spaces, brackets, dots, tel:/sip: — is a number, not a user part', () => {
    expect(resolveUserId('+1 202 555 0101', NUMBERS, DOMAIN)).toEqual({ userId: 'desk-101@example.com' });
    expect(resolveUserId('+1 (202) 555.0102', NUMBERS, DOMAIN)).toEqual({ userId: 'desk-102@example.com' });
    expect(resolveUserId('tel:+12025550101', NUMBERS, DOMAIN)).toEqual({ userId: 'desk-101@example.com' });
    expect(resolveUserId('SIP:3101', NUMBERS, DOMAIN)).toEqual({ userId: 'desk-101@example.com' });
    // Unknown in that form too: no user id is made up of it (BroadWorks user ids have no spaces).
    expect(resolveUserId('+49 30 555101', NUMBERS, DOMAIN)).toEqual({ unknown: true, number: '+4930555101' });
    // Letters keep it a user part; a separator alone is no number.
    expect(resolveUserId('tel:desk-101', NUMBERS, DOMAIN)).toEqual({ userId: 'tel:desk-101@example.com' });
    expect(resolveUserId('(-)', NUMBERS, DOMAIN)).toEqual({ userId: '(-)@example.com' });
  });

  it('a number no profile carries is unknown, not a made-up user', () => {
    expect(resolveUserId('3999', NUMBERS, DOMAIN)).toEqual({ unknown: true, number: '3999' });
    expect(resolveUserId('3101', {}, DOMAIN)).toEqual({ unknown: true, number: '3101' });
  });

  it('an empty or blank id is unknown', () => {
    expect(resolveUserId('', NUMBERS, DOMAIN)).toEqual({ unknown: true });
    expect(resolveUserId('   ', NUMBERS, DOMAIN)).toEqual({ unknown: true });
  });
});

describe('numbers', () => {
  it('normalise: tel:/sip: prefix (any case) and separators dropped', () => {
    expect(normaliseNumber('tel:+1-202 (555) 0101')).toBe('+12025550101');
    expect(normaliseNumber('SIP:3101')).toBe('3101');
    expect(normaliseNumber('1.202.555')).toBe('1202555');
  });

  it('normalise: only a leading tel:/sip: is a prefix; the same letters inside a number are kept', () => {
    expect(normaliseNumber('31tel:01')).toBe('31tel:01');
    expect(sameNumber('31sip:01', '3101')).toBe(false);
  });

  it('sameNumber compares normalised forms and is false when either side is missing', () => {
    expect(sameNumber('tel:3101', '31-01')).toBe(true);
    expect(sameNumber('3101', '3102')).toBe(false);
    expect(sameNumber(undefined, '3101')).toBe(false);
    expect(sameNumber('3101', undefined)).toBe(false);
    expect(sameNumber(undefined, undefined)).toBe(false);
  });
});

describe('displayId', () => {
  it('drops the default domain, and only it', () => {
    expect(displayId('agent-001@example.com', DOMAIN)).toBe('agent-001');
    expect(displayId('agent-001@other.net', DOMAIN)).toBe('agent-001@other.net');
    expect(displayId('agent-001@sub.example.com.au', DOMAIN)).toBe('agent-001@sub.example.com.au');
  });
});

describe('forwardTargetOf (where a host is forwarded for its guest)', () => {
  it('prefers the extension, then the number, then the user id', () => {
    expect(forwardTargetOf(user('a@x', { extension: '3101', number: '+12025550101' }))).toBe('3101');
    expect(forwardTargetOf(user('a@x', { number: '+12025550101' }))).toBe('+12025550101');
    expect(forwardTargetOf(user('a@x', {}))).toBe('a@x');
    expect(forwardTargetOf(user('a@x'))).toBe('a@x');
  });
});
