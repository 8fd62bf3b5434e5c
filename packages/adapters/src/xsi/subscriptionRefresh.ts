/**
 * Keeping Xsi subscriptions alive (reference/xsi.md §5.4–§5.5).
 *
 * Theory of operation
 * - The connector subscribes a user once (SUBSCRIBE → one POST per event package) and expects
 *   events for as long as it holds the user. Subscriptions expire, so every subscription we
 *   created is remembered here with the lifetime the XSP granted, and refreshed
 *   (PUT subscription/{id} with `expires`) at half that lifetime (the spec's advice).
 * - A refresh answered 404 or 403 ("all unsuccessful responses" of subscription/{id}) means the
 *   XSP no longer has it: we POST a new one for the same user and package on our channel set
 *   and tell the owner (`onReplaced`), since events may have been missed meanwhile — the
 *   connector resyncs.
 * - Other failures (503, 5xx, timeouts) are retried at half the remaining lifetime, never
 *   sooner than `minRetryMs`.
 * - A SubscriptionTerminatedEvent ends the record: the connector subscribes the user again.
 * - Subscriptions are not deleted on stop: they belong to the stable channel set and are
 *   re-attached to our next channel after a restart (§5.2).
 * - Subscriptions belong to the set, not to an XSP: creates and refreshes go through `send`,
 *   which picks a healthy XSP and may repeat them on another (xspNodes.ts).
 */
import {
  decodeCommandResponse, decodeSubscriptionRefresh, encodeCommandRequest, encodeSubscriptionRefresh, isXsiCodecError,
  type EventPackage, type XsiCommand, type XsiOutcome,
} from '@csta-bw/core';
import { isTransportFailure } from './httpClient.js';
import type { XsiSend } from './xspNodes.js';

const EVENTS_PATH = '/com.broadsoft.xsi-events/v2.0';
const MAX_TIMER_MS = 2_147_483_647;
const NEVER_EXPIRES = 2_147_483_647;

export interface SubscriptionRecord {
  subscriptionId: string;
  userId: string;
  eventPackage: EventPackage;
  /** Seconds the XSP granted at the last create/refresh. */
  grantedSeconds: number;
  /** Set for a group-target subscription (`userId` is then the subscriber). */
  group?: { serviceProviderId: string; groupId: string };
}

export interface SubscriptionRefreshOptions {
  send: XsiSend;
  channelSetId: string;
  applicationId?: string;
  subscriptionExpires: number;
  minRetryMs?: number;
  log: (line: string) => void;
  /** A subscription was gone and has been re-created under a new id. */
  onReplaced: (old: SubscriptionRecord, created: SubscriptionRecord | undefined) => void;
}

export class SubscriptionRefresh {
  private readonly records = new Map<string, { record: SubscriptionRecord; timer: ReturnType<typeof setTimeout> | undefined }>();
  private stopped = false;

  constructor(private readonly o: SubscriptionRefreshOptions) {}

  get size(): number {
    return this.records.size;
  }

  list(): SubscriptionRecord[] {
    return [...this.records.values()].map((r) => ({ ...r.record }));
  }

  /** Remember a subscription the XSP just granted, and plan its refresh. */
  add(record: SubscriptionRecord): void {
    if (this.stopped) return;
    this.remove(record.subscriptionId);
    this.records.set(record.subscriptionId, { record: { ...record }, timer: undefined });
    this.plan(record.subscriptionId, record.grantedSeconds / 2);
  }

  remove(subscriptionId: string): void {
    const entry = this.records.get(subscriptionId);
    if (entry?.timer) clearTimeout(entry.timer);
    this.records.delete(subscriptionId);
  }

  stop(): void {
    this.stopped = true;
    for (const id of [...this.records.keys()]) this.remove(id);
  }

  /** Refresh now (tests; also used after the XSP restarts). */
  refreshNow(subscriptionId: string): Promise<void> {
    return this.refresh(subscriptionId);
  }

  private plan(subscriptionId: string, inSeconds: number): void {
    const entry = this.records.get(subscriptionId);
    if (!entry || entry.record.grantedSeconds >= NEVER_EXPIRES) return;
    if (entry.timer) clearTimeout(entry.timer);
    const delay = Math.min(MAX_TIMER_MS, Math.max(this.o.minRetryMs ?? 1_000, inSeconds * 1000));
    entry.timer = setTimeout(() => void this.refresh(subscriptionId), delay);
  }

  private async refresh(subscriptionId: string): Promise<void> {
    const entry = this.records.get(subscriptionId);
    if (!entry || this.stopped) return;
    const answer = await this.o.send({
      method: 'PUT', path: `${EVENTS_PATH}/subscription/${encodeURIComponent(subscriptionId)}`,
      body: encodeSubscriptionRefresh(this.o.subscriptionExpires), repeatable: true,
    });
    if (this.records.get(subscriptionId) !== entry) return; // removed meanwhile
    if (!isTransportFailure(answer) && answer.status === 200) {
      const granted = decodeSubscriptionRefresh(answer.body);
      entry.record.grantedSeconds = isXsiCodecError(granted) ? this.o.subscriptionExpires : granted.expires;
      return this.plan(subscriptionId, entry.record.grantedSeconds / 2);
    }
    if (!isTransportFailure(answer) && (answer.status === 404 || answer.status === 403)) {
      this.remove(subscriptionId);
      this.o.log(`xsi: subscription ${subscriptionId} (${entry.record.eventPackage} of ${entry.record.userId}) is gone (HTTP ${answer.status}); subscribing again`);
      const created = await this.recreate(entry.record);
      if (created) this.add(created);
      this.o.onReplaced(entry.record, created);
      return;
    }
    this.o.log(`xsi: refresh of subscription ${subscriptionId} failed: ${isTransportFailure(answer) ? answer.transportError : `HTTP ${answer.status}`}`);
    entry.record.grantedSeconds /= 2;
    this.plan(subscriptionId, entry.record.grantedSeconds / 2);
  }

  /** POST a new subscription for the same user and package; undefined if the XSP refused. */
  async recreate(old: SubscriptionRecord): Promise<SubscriptionRecord | undefined> {
    const command: XsiCommand = { op: 'SUBSCRIBE', userId: old.userId, packages: [old.eventPackage], ...(old.group ? { group: old.group } : {}) };
    const created = await subscribeOne(this.o, command, 0);
    return 'subscriptionId' in created ? created : undefined;
  }
}

/**
 * POST the `index`-th package of a SUBSCRIBE command. Returns the granted record, or the
 * `XsiOutcome` of a refusal or transport failure.
 */
export async function subscribeOne(
  o: { send: XsiSend; channelSetId: string; applicationId?: string; subscriptionExpires: number },
  command: Extract<XsiCommand, { op: 'SUBSCRIBE' }>,
  index: number,
): Promise<SubscriptionRecord | XsiOutcome> {
  const requests = encodeCommandRequest(command, {
    channelSetId: o.channelSetId, expires: o.subscriptionExpires,
    ...(o.applicationId !== undefined ? { applicationId: o.applicationId } : {}),
  });
  if (isXsiCodecError(requests)) return { transportError: `not sent: ${requests.error}` };
  const request = requests[index];
  const eventPackage = command.packages[index];
  if (!request || !eventPackage) return { transportError: `not sent: SUBSCRIBE has no package #${index}` };
  // One subscription per (target, package, set) on the XSP: a repeat refreshes it, so another XSP may take it.
  const answer = await o.send({ method: request.method, path: request.path, ...(request.body !== undefined ? { body: request.body } : {}), repeatable: true });
  if (isTransportFailure(answer)) return answer;
  const outcome = decodeCommandResponse(command, answer.status, answer.contentType, answer.body);
  if ('transportError' in outcome) return outcome;
  const subscriptionId = outcome.body?.kind === 'Subscriptions' ? outcome.body.subscriptionIds[0] : undefined;
  if (outcome.status < 200 || outcome.status > 299 || subscriptionId === undefined) return outcome;
  const granted = decodeSubscriptionRefresh(answer.body);
  return {
    subscriptionId, userId: command.userId, eventPackage, grantedSeconds: isXsiCodecError(granted) ? o.subscriptionExpires : granted.expires,
    ...(command.group ? { group: command.group } : {}),
  };
}
