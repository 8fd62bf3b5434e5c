/**
 * The Xsi-Events stream read without sockets or clocks: text in, decisions out. eventChannel.ts
 * feeds it what the XSP's streaming answer carries; the explorer's wire world feeds it the
 * simulator's stream on virtual time — the same reading either way.
 *
 * Theory of operation (reference/xsi.md §5.2–§5.7)
 * - Text → whole XML documents (the core's splitter: chunk boundaries mean nothing).
 * - The first document must be `<Channel>`: it gives the channelId (`up`). Anything else first
 *   means the stream is not ours to read (`fail`).
 * - Each event is acknowledged (`ack` 200; 400 for one we cannot read), except
 *   ChannelTerminatedEvent, which ends the channel (`fail`) when it names ours.
 * - Then `EventOrder` judges it: a duplicate is dropped (`log`), a stale one asks for a resync
 *   (`gap`) and is dropped, a gap asks for a resync and is delivered, the rest is delivered
 *   (`event`). Acks come before the verdict: a duplicate is acknowledged again, or the XSP
 *   would keep redelivering it.
 * - A desynchronised stream (a document too large, bytes outside any document) is `fail`.
 * Steps are returned in order; nothing after a `fail` is read.
 */
import {
  createDocumentSplitter, decodeStreamDocument, feedDocuments, type DocumentSplitterState, type EventResponseStatusCode, type XsiEvent,
} from '@csta-bw/core';
import type { EventOrder } from './eventOrder.js';

export type StreamStep =
  | { kind: 'up'; channelId: string; expires: number }
  | { kind: 'heartbeat' }
  | { kind: 'ack'; eventId: string; statusCode: EventResponseStatusCode; reason: string }
  | { kind: 'event'; event: XsiEvent }
  /** Events were missed or came out of order: re-read the truth (DESIGN §4.9). */
  | { kind: 'gap'; why: string }
  | { kind: 'fail'; reason: string }
  | { kind: 'log'; line: string };

export class EventStreamReader {
  private splitter: DocumentSplitterState;
  private channel: string | undefined;
  private failed = false;

  constructor(private readonly order: EventOrder, maxDocumentChars?: number) {
    this.splitter = createDocumentSplitter(maxDocumentChars === undefined ? {} : { maxDocumentChars });
  }

  /** The channel's id once its `<Channel>` document was read. */
  get channelId(): string | undefined {
    return this.channel;
  }

  feed(text: string): StreamStep[] {
    if (this.failed) return [];
    const fed = feedDocuments(this.splitter, text);
    this.splitter = fed.state;
    const steps: StreamStep[] = [];
    for (const xml of fed.documents) {
      this.read(xml, steps);
      if (this.failed) return steps;
    }
    if (fed.error !== undefined) this.fail(steps, `event stream desynchronised: ${fed.error}`);
    return steps;
  }

  private fail(steps: StreamStep[], reason: string): void {
    this.failed = true;
    steps.push({ kind: 'fail', reason });
  }

  private read(xml: string, steps: StreamStep[]): void {
    const doc = decodeStreamDocument(xml);
    if (this.channel === undefined) {
      if (doc.kind !== 'channel') return this.fail(steps, `bad XSP answer: the event stream began with ${describeDocument(xml)}, not <Channel>`);
      this.channel = doc.channelId;
      steps.push({ kind: 'up', channelId: doc.channelId, expires: doc.expires });
      return;
    }
    switch (doc.kind) {
      case 'heartbeat':
        steps.push({ kind: 'heartbeat' });
        return;
      case 'channel':
        steps.push({ kind: 'log', line: `xsi: ignoring a second <Channel> document on channel ${this.channel}` });
        return;
      case 'channelTerminated':
        // Never acknowledged (§5.7); the stream ends after it.
        if (doc.channelId === this.channel) this.fail(steps, `ChannelTerminatedEvent (${doc.reason})`);
        else steps.push({ kind: 'log', line: `xsi: ChannelTerminatedEvent for another channel ${doc.channelId} ignored` });
        return;
      case 'unknownEvent':
        if (doc.eventId !== undefined) steps.push({ kind: 'ack', eventId: doc.eventId, statusCode: 200, reason: 'OK' });
        return;
      case 'error':
        steps.push({ kind: 'log', line: `xsi: unreadable event document: ${doc.error}` });
        if (doc.eventId !== undefined) steps.push({ kind: 'ack', eventId: doc.eventId, statusCode: 400, reason: `unreadable: ${doc.error}`.slice(0, 200) });
        return;
      case 'event':
        return this.event(doc.event, steps);
    }
  }

  private event(event: XsiEvent, steps: StreamStep[]): void {
    steps.push({ kind: 'ack', eventId: event.eventId, statusCode: 200, reason: 'OK' });
    const verdict = this.order.admit(event.eventId, event.subscriptionId, event.sequenceNumber);
    if (event.type === 'SubscriptionTerminatedEvent') this.order.forget(event.subscriptionId);
    switch (verdict) {
      case 'duplicate':
        steps.push({ kind: 'log', line: `xsi: duplicate event ${event.eventId} dropped` });
        return;
      case 'stale':
        steps.push({ kind: 'gap', why: `event ${event.eventId} of subscription ${event.subscriptionId} is out of order (sequence ${event.sequenceNumber})` });
        return;
      case 'gap':
        steps.push({ kind: 'gap', why: `sequence gap on subscription ${event.subscriptionId} (now ${event.sequenceNumber})` });
        steps.push({ kind: 'event', event });
        return;
      case 'deliver':
        steps.push({ kind: 'event', event });
        return;
    }
  }
}

function describeDocument(xml: string): string {
  const m = /<([A-Za-z_][\w.:-]*)/.exec(xml.replace(/<\?[^>]*\?>/g, ''));
  return m ? `<${m[1]}>` : 'an unreadable document';
}
