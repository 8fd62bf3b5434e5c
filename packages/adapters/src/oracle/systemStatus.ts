/**
 * I12 SystemStatus follows the XSP (DESIGN §4.9): a CSTA link hears `disabled` when the event
 * channel is lost and `normal` when it is back — each link that was talking to us, once per loss,
 * in that order — and never one without the other: no `disabled` while the channel is up, no
 * `normal` that does not end a `disabled`, and at rest every link is back to `normal`.
 *
 * Judged from outside: the channel as the binding reported it (world.channelLog), the links that
 * had sent a request, and the statuses each link received.
 */
import type { Violation } from '../invariants.js';
import type { VirtualWorld } from '../virtualWorld.js';

export function checkSystemStatus(w: VirtualWorld, final: boolean, judged?: Set<string>): Violation[] {
  const out: Violation[] = [];
  const channelAt = (t: number): 'up' | 'lost' | undefined => {
    let s: 'up' | 'lost' | undefined;
    for (const c of w.channelLog) if (c.at <= t) s = c.status;
    return s;
  };
  // The states the channel took during instant t: a node's channel may come back and another's go
  // within one instant (several XSPs), and a status told at t follows one of them.
  const channelDuring = (t: number): ('up' | 'lost' | undefined)[] => {
    const at = w.channelLog.filter((c) => c.at === t).map((c) => c.status);
    return at.length > 0 ? at : [channelAt(t)];
  };
  const firstRequest = new Map<string, number>();
  for (const r of w.requests.values()) if (!firstRequest.has(r.link) || firstRequest.get(r.link)! > r.at) firstRequest.set(r.link, r.at);
  // A link dies with a crashed connector process (VirtualWorld `crash`): `L1` with the first, `L1~k`
  // — the client's k-th reconnection — with the (k+1)-th. Nothing is owed to a dead link.
  const diedAt = (link: string): number => w.crashes[Number(link.split('~')[1] ?? 0)]?.at ?? Infinity;
  // A link that first spoke to a restarted process before that process had a channel up was
  // answered `disabled` (a process without a channel follows nothing): it is owed `normal` at the up.
  const joinedBeforeChannel = (link: string): boolean => {
    const first = firstRequest.get(link) ?? Infinity;
    // (A client that first speaks after a crash keeps its plain name: go by time, not by `~k`.)
    const since = w.crashes.filter((c) => c.at <= first).at(-1)?.at;
    return since !== undefined && !w.channelLog.some((c) => c.status === 'up' && c.at > since && c.at < first);
  };
  const byLink = new Map<string, { at: number; status: string }[]>();
  for (const s of w.systemStatus) (byLink.get(s.link) ?? byLink.set(s.link, []).get(s.link)!).push(s);

  for (const [link, statuses] of byLink) {
    let last: string | undefined;
    for (const s of statuses) {
      if (s.status === 'disabled' && !channelDuring(s.at).includes('lost')) out.push({ invariant: 'I12', message: `${link} told disabled at ${s.at} ms while the event channel was up` });
      if (s.status === 'normal' && !channelDuring(s.at).includes('up')) out.push({ invariant: 'I12', message: `${link} told normal at ${s.at} ms while the event channel was lost` });
      if (s.status === last) out.push({ invariant: 'I12', message: `${link} told ${s.status} twice in a row (at ${s.at} ms)` });
      // A link that first spoke during an outage was never told disabled; "normal" tells it the XSP is back.
      const joinedDuringOutage = channelAt(firstRequest.get(link) ?? Infinity) === 'lost' || joinedBeforeChannel(link);
      if (s.status === 'normal' && last === undefined && !joinedDuringOutage) out.push({ invariant: 'I12', message: `${link} told normal at ${s.at} ms without having been told disabled` });
      if (s.status === 'normal' && last === 'disabled') judged?.add('status:disabled-then-normal');
      last = s.status;
    }
    if (final && last !== 'normal' && diedAt(link) === Infinity) out.push({ invariant: 'I12', message: `${link} was last told ${last} but the event channel is up again` });
  }
  // Every link that had spoken before a loss hears of it — and, once the channel is back, of that.
  w.channelLog.forEach((loss, i) => {
    if (loss.status !== 'lost') return;
    // The next up in the log, not by time: an up in the same instant just before this loss ended
    // the previous outage, not this one.
    const back = w.channelLog.slice(i + 1).find((c) => c.status === 'up');
    for (const [link, since] of firstRequest) {
      if (since >= loss.at || loss.at >= diedAt(link)) continue;
      const told = (status: string, from: number, to: number) => (byLink.get(link) ?? []).some((s) => s.status === status && s.at >= from && s.at <= to);
      if (!told('disabled', loss.at, loss.at)) out.push({ invariant: 'I12', message: `${link} was not told disabled when the event channel was lost at ${loss.at} ms` });
      if (back && back.at < diedAt(link) && !told('normal', back.at, back.at)) out.push({ invariant: 'I12', message: `${link} was not told normal when the event channel came back at ${back.at} ms` });
    }
  });
  return out;
}
