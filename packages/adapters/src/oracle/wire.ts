/**
 * The wire invariants (issue 16, blind spot 3), judged on what crossed the in-memory wires of the
 * wire world (explore/wireWorld.ts `wire`), from the protocol rules alone (reference/csta.md §8,
 * reference/xsi.md §5, DESIGN §4.9, §8):
 *
 * - W1 One answer per request frame, under its invoke ID: every answer frame a client reads
 *   carries the invoke ID of a request of its own still unanswered on that link, each request is
 *   answered once, and at rest every request on a live link has its answer.
 * - W2 Server invoke IDs never collide: a SystemStatus the gateway sends uses four digits, not
 *   9999 (events), and none of the client's requests then outstanding on that link.
 * - W3 SystemStatus as each link hears it: `disabled` only while the event channel is lost,
 *   `normal` only while it is up, `normal` last at rest; and the gateway never drops a link whose
 *   client answers every probe. No exception: a resync after a sequence gap changes nothing a
 *   link hears, and a process that never had a channel greets links `disabled` (DESIGN §4.9).
 * - W4 Every Xsi event read off the stream is acknowledged at once, 200, by an eventresponse the
 *   XSP answers 200 (unless the network lost it: the world's lost-ack fault); a heartbeat on a
 *   channel the XSP holds is answered 200 and echoed on the stream.
 * - W5 Framing and parsing both ways: no framing error, no frame or HTTP message or stream
 *   document that its reader could not read.
 * Each records in `judged` the cases it exercised (WIRE_TARGETS).
 */
import type { Violation } from '../invariants.js';
import type { WireWorld } from '../explore/wireWorld.js';

export const WIRE_TARGETS = [
  'wire:answer-matched', 'wire:answer-with-others-outstanding', 'wire:server-id-while-client-outstanding', 'wire:keepalive-probe-answered',
  'wire:heard-disabled-then-normal', 'wire:event-acked', 'wire:redelivery-acked', 'wire:xsi-heartbeat', 'wire:frame-split', 'wire:frames-coalesced',
] as const;

/** The wire targets an exploration under `faults` must reach: a redelivery needs a fault (a duplicate or a lost ack). */
export function wireTargets(faults: 'none' | 'flaky' | 'hostile'): string[] {
  return WIRE_TARGETS.filter((t) => faults !== 'none' || t !== 'wire:redelivery-acked');
}

export interface WireCheckOptions {
  /** At rest: owed answers and final statuses are judged too. */
  final: boolean;
}

export function checkWire(w: WireWorld, opts: WireCheckOptions, judged?: Set<string>): Violation[] {
  return [...checkAnswers(w, opts, judged), ...checkServerIds(w, judged), ...checkStatuses(w, opts, judged), ...checkAcks(w, judged), ...checkFraming(w, judged)];
}

/** When the link died: `L1~k` with the (k+1)-th crash, or when the gateway closed it. */
function diedAt(w: WireWorld, link: string): number {
  const crash = w.crashes[Number(link.split('~')[1] ?? 0)]?.at ?? Infinity;
  const closed = w.wire.closed.find((c) => c.link === link)?.at ?? Infinity;
  return Math.min(crash, closed);
}

function checkAnswers(w: WireWorld, opts: WireCheckOptions, judged?: Set<string>): Violation[] {
  const out: Violation[] = [];
  const log = [...w.wire.requests.map((r) => ({ ...r, what: 'request' as const })), ...w.wire.answers.map((a) => ({ ...a, what: 'answer' as const }))]
    .sort((a, b) => a.n - b.n);
  const outstanding = new Map<string, Map<string, string>>();
  for (const e of log) {
    const open = outstanding.get(e.link) ?? outstanding.set(e.link, new Map()).get(e.link)!;
    if (e.what === 'request') {
      if (open.has(e.invokeId)) out.push({ invariant: 'W1', message: `${e.link} sent request #${e.invokeId} at ${e.at} ms while #${e.invokeId} was still unanswered` });
      open.set(e.invokeId, 'service' in e ? e.service : '?');
      continue;
    }
    if (!open.has(e.invokeId)) {
      out.push({ invariant: 'W1', message: `${e.link} read ${e.name} #${e.invokeId} at ${e.at} ms, but no request #${e.invokeId} of its own was unanswered` });
      continue;
    }
    open.delete(e.invokeId);
    judged?.add('wire:answer-matched');
    if (open.size > 0) judged?.add('wire:answer-with-others-outstanding');
  }
  if (opts.final) {
    for (const [link, open] of outstanding) {
      if (diedAt(w, link) !== Infinity) continue;
      for (const [id, service] of open) out.push({ invariant: 'W1', message: `${link} request #${id} (${service}) never got an answer frame` });
    }
  }
  return out;
}

function checkServerIds(w: WireWorld, judged?: Set<string>): Violation[] {
  const out: Violation[] = [];
  for (const s of w.wire.statuses) {
    if (!/^\d{4}$/.test(s.invokeId) || s.invokeId === '9999') out.push({ invariant: 'W2', message: `${s.link} got SystemStatus under invoke ID "${s.invokeId}" at ${s.at} ms` });
    else if (s.outstanding.includes(s.invokeId)) out.push({ invariant: 'W2', message: `${s.link} got SystemStatus #${s.invokeId} at ${s.at} ms while its own request #${s.invokeId} was unanswered` });
    else if (s.outstanding.length > 0) judged?.add('wire:server-id-while-client-outstanding');
    if (s.probe) judged?.add('wire:keepalive-probe-answered');
  }
  return out;
}

function checkStatuses(w: WireWorld, opts: WireCheckOptions, judged?: Set<string>): Violation[] {
  const out: Violation[] = [];
  // The channel as the binding held it for the running process when the frame was read (the world
  // records it: at one instant a probe may go out just before a loss is delivered; a restarted
  // process holds none until the binding opens one).
  const channelAt = (s: { channel: 'up' | 'lost' | 'none' }): 'up' | 'lost' | 'none' => s.channel;
  const resyncAt = new Set(w.wire.resyncs.map((r) => r.at));
  const last = new Map<string, string>();
  for (const s of w.wire.statuses) {
    if (s.status === 'disabled' && channelAt(s) === 'up') {
      out.push({ invariant: 'W3', message: `${s.link} heard SystemStatus disabled at ${s.at} ms while the event channel was up${resyncAt.has(s.at) ? ' (a resync after a sequence gap)' : ''}` });
    }
    if (s.status === 'normal' && channelAt(s) !== 'up') {
      out.push({ invariant: 'W3', message: `${s.link} heard SystemStatus normal at ${s.at} ms while the event channel was ${channelAt(s) === 'none' ? 'not open yet' : 'lost'}${s.beforeFirstChannel ? ' (from a process that never had a channel)' : ''}` });
    }
    if (s.status === 'normal' && last.get(s.link) === 'disabled') judged?.add('wire:heard-disabled-then-normal');
    last.set(s.link, s.status);
  }
  if (opts.final) {
    for (const [link, status] of last) {
      if (status !== 'normal' && diedAt(w, link) === Infinity) out.push({ invariant: 'W3', message: `${link} last heard SystemStatus ${status}, but the event channel is up at rest` });
    }
  }
  for (const c of w.wire.closed) out.push({ invariant: 'W3', message: `the gateway closed ${c.link} at ${c.at} ms (${c.reason}), though its client answers every probe` });
  return out;
}

function checkAcks(w: WireWorld, judged?: Set<string>): Violation[] {
  const out: Violation[] = [];
  const seen = new Set<string>();
  let a = 0;
  const acks = w.wire.acks;
  for (const e of w.wire.events) {
    // The client acks as it reads: the ack for this event is the next one in the log at this instant.
    while (a < acks.length && acks[a]!.at < e.at) a++;
    const ack = acks.slice(a).find((k) => k.at === e.at && k.eventId === e.eventId);
    if (!ack) out.push({ invariant: 'W4', message: `event ${e.eventId} read at ${e.at} ms was never acknowledged` });
    else if (ack.statusCode !== 200) out.push({ invariant: 'W4', message: `event ${e.eventId} acknowledged ${ack.statusCode}, not 200, at ${e.at} ms` });
    else if (!ack.lost && ack.answered !== 200) out.push({ invariant: 'W4', message: `the ack of event ${e.eventId} at ${e.at} ms was answered ${ack.answered ?? 'nothing'}` });
    else {
      judged?.add('wire:event-acked');
      if (seen.has(e.eventId)) judged?.add('wire:redelivery-acked');
    }
    seen.add(e.eventId);
  }
  for (const h of w.wire.heartbeats) {
    if (h.status !== 200) out.push({ invariant: 'W4', message: `heartbeat on channel ${h.channelId} at ${h.at} ms answered ${h.status} while the XSP holds it` });
    else if (!h.streamed) out.push({ invariant: 'W4', message: `heartbeat on channel ${h.channelId} at ${h.at} ms answered, but no ChannelHeartBeat read off the stream` });
    else judged?.add('wire:xsi-heartbeat');
  }
  return out;
}

function checkFraming(w: WireWorld, judged?: Set<string>): Violation[] {
  if (w.wire.split > 0) judged?.add('wire:frame-split');
  if (w.wire.coalesced > 0) judged?.add('wire:frames-coalesced');
  return w.wire.faults.map((f) => ({ invariant: 'W5' as const, message: `${f.where} at ${f.at} ms: ${f.reason}` }));
}
