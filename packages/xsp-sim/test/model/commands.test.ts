import { describe, expect, it } from 'vitest';
import { XSP_ERRORS } from '../../src/index.js';
import { agent, desk, fresh, run, statusOf } from './helpers.js';

describe('authorisation and existence', () => {
  it('a user acts on itself', () => {
    expect(run(fresh(), { op: 'GET CallCenter', userId: desk(110) }, 0, desk(110)).outcome)
      .toEqual({ status: 200, body: { kind: 'CallCenter', agentACDState: 'Available' } });
  });
  it('a user acting on another user → 403, even for an unknown target', () => {
    expect(statusOf(run(fresh(), { op: 'GET CallCenter', userId: desk(101) }, 0, agent(1)).outcome))
      .toEqual({ status: 403, errorCode: XSP_ERRORS.OUT_OF_SCOPE.code });
    expect(statusOf(run(fresh(), { op: 'GET CallCenter', userId: 'ghost@example.com' }, 0, agent(1)).outcome))
      .toEqual({ status: 403, errorCode: XSP_ERRORS.OUT_OF_SCOPE.code });
  });
  it('the admin on an unknown user → 404', () => {
    expect(statusOf(run(fresh(), { op: 'PUT CallCenter', userId: 'ghost@example.com', body: { agentACDState: 'Available' } }).outcome))
      .toEqual({ status: 404, errorCode: XSP_ERRORS.UNKNOWN_USER.code });
  });
  it('an unknown caller → 401', () => {
    expect(statusOf(run(fresh(), { op: 'GET profile', userId: agent(1) }, 0, 'mallory@example.com').outcome))
      .toEqual({ status: 401, errorCode: XSP_ERRORS.NOT_AUTHENTICATED.code });
  });
  it('an unknown op or a malformed command → 400 schema violation', () => {
    expect(statusOf(run(fresh(), { op: 'DELETE everything', userId: agent(1) } as never).outcome))
      .toEqual({ status: 400, errorCode: XSP_ERRORS.SCHEMA_VIOLATION.code });
    expect(statusOf(run(fresh(), null as never).outcome)).toEqual({ status: 400, errorCode: XSP_ERRORS.SCHEMA_VIOLATION.code });
  });
});

describe('GET', () => {
  it('profile carries names, extension and group', () => {
    expect(run(fresh(), { op: 'GET profile', userId: agent(7) }).outcome).toEqual({
      status: 200,
      body: { kind: 'profile', info: { userId: agent(7), firstName: '007', lastName: 'Agent', extension: '3007', groupId: 'example-group' } },
    });
  });
  it('HotelingGuest and HotelingHost of an idle pair have no association fields', () => {
    expect(run(fresh(), { op: 'GET HotelingGuest', userId: agent(1) }).outcome).toEqual({
      status: 200, body: { kind: 'HotelingGuest', info: { active: true, enableAssociationLimit: false, associationLimitHours: 24 } },
    });
    expect(run(fresh(), { op: 'GET HotelingHost', userId: desk(101) }).outcome).toEqual({
      status: 200, body: { kind: 'HotelingHost', info: { active: true, enforceAssociationLimit: false, associationLimitHours: 24, accessLevel: 'Group' } },
    });
  });
  it('answers 400 for a service the user lacks', () => {
    expect(statusOf(run(fresh(), { op: 'GET HotelingHost', userId: agent(1) }).outcome))
      .toEqual({ status: 400, errorCode: XSP_ERRORS.HOST_NOT_ASSIGNED.code });
  });
});
