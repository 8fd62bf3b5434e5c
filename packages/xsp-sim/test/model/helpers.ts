/** Shared fixtures for the model tests: a default-directory XSP, a channel, command shorthands. */
import type { XsiCommand, XsiEvent, XsiOutcome } from '@csta-bw/core';
import { expect } from 'vitest';
import { ackEvent, advance, createXsp, defaultDirectory, execute, openChannel, type Delivery, type FaultProfile, type XspState } from '../../src/index.js';

export const ADMIN = 'admin@example.com';
export const SET = 'csta-bw/test-set';
export const desk = (n: number) => `desk-${n}@example.com`;
export const agent = (n: number) => `agent-${String(n).padStart(3, '0')}@example.com`;

export function fresh(faults: FaultProfile = 'none', seed = 7): XspState {
  return createXsp({ directory: defaultDirectory(), seed, faults });
}

export function withChannel(s: XspState, now = 0, channelSetId = SET): { state: XspState; channelId: string } {
  const r = openChannel(s, { asUser: ADMIN, channelSetId, expires: 604_800 }, now); // outlives the 86400 s subscriptions
  if (!('state' in r)) throw new Error(`openChannel refused: ${r.error.summaryEnglish}`);
  return { state: r.state, channelId: r.channelId };
}

/** Executes as the admin unless told otherwise and returns the new state and the outcome. */
export function run(s: XspState, command: XsiCommand, now = 0, asUser = ADMIN): { state: XspState; outcome: XsiOutcome } {
  return execute(s, asUser, command, now, SET);
}

export function ok(s: XspState, command: XsiCommand, now = 0, asUser = ADMIN): XspState {
  const r = run(s, command, now, asUser);
  expect(r.outcome).toMatchObject({ status: 200 });
  return r.state;
}

/** The status and ErrorInfo code of an outcome (`transportError` → status 0). */
export function statusOf(o: XsiOutcome): { status: number; errorCode?: number } {
  if (!('status' in o)) return { status: 0 };
  return o.body?.kind === 'ErrorInfo' ? { status: o.status, errorCode: o.body.error.errorCode } : { status: o.status };
}

export function eventsOf(deliveries: Delivery[]): XsiEvent[] {
  return deliveries.flatMap((d) => (d.kind === 'event' ? [d.event] : []));
}

/** Delivers everything due at `now` and acks (200) every event delivered. */
export function deliverAndAck(s: XspState, now: number): { state: XspState; deliveries: Delivery[] } {
  const r = advance(s, now);
  let state = r.state;
  for (const d of r.deliveries) if (d.kind === 'event') state = ackEvent(state, d.channelId, d.event.eventId, 200, now);
  return { state, deliveries: r.deliveries };
}

/** Subscribes the user to all three packages on SET, drains and acks the initial events. */
export function subscribed(s: XspState, userId: string, now = 0): XspState {
  const r = run(s, { op: 'SUBSCRIBE', userId, packages: ['Call Center Agent', 'Call Forwarding Always', 'Hoteling Guest'] }, now);
  expect(r.outcome).toMatchObject({ status: 200 });
  return deliverAndAck(r.state, now).state;
}
