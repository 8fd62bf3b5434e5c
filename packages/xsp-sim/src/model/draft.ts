/**
 * A copy-on-write transaction over an `XspState`. Public functions open a `Draft`, let the rules
 * mutate through it, and return `draft.finish()`: a new state that shares every part nobody
 * touched with the old one. The old state is never modified, so callers (the explorer) may keep
 * and branch from any state they hold. Copying only the touched parts keeps a step cheap.
 *
 * Rule code reads through `user(id)` and writes through `userMut(id)` (same for subscriptions,
 * channels, pending events); the first write to a container copies it, once per transaction.
 *
 * A state marked `updateInPlace` (the HTTP server's, whose holder keeps no older state) is written
 * in place instead: the containers and the agenda are not copied — only the user and subscription
 * records a rule changes, so nothing handed out earlier (an event, a view) changes under its reader.
 */
import { nextWord, uuidFromWords } from './rng.js';
import type { Agendum, ChannelRecord, PendingEvent, Scheduled, SubscriptionRecord, UserRecord, XspState } from './state.js';

function copyUser(u: UserRecord): UserRecord {
  const c: UserRecord = { ...u };
  if (u.forwarding) c.forwarding = { ...u.forwarding };
  if (u.guest) c.guest = { ...u.guest };
  if (u.host) c.host = { ...u.host };
  if (u.doNotDisturb) c.doNotDisturb = { ...u.doNotDisturb };
  if (u.remoteOffice) c.remoteOffice = { ...u.remoteOffice };
  return c;
}

export class Draft {
  readonly s: XspState;
  private readonly copied = new Set<string>();
  private readonly copiedUsers = new Set<string>();
  private readonly copiedSubs = new Set<string>();

  /** `base.updateInPlace`: write into `base` itself (its holder keeps no older state). */
  private readonly inPlace: boolean;

  constructor(base: XspState) {
    this.inPlace = base.updateInPlace === true;
    this.s = this.inPlace ? base : { ...base };
    this.queueOwned = this.inPlace;
  }

  finish(): XspState {
    return this.s;
  }

  /** Copies a top-level container on its first write in this transaction (in place: no copy). */
  private own<K extends 'users' | 'subscriptions' | 'channels' | 'pending' | 'userEventClock'>(key: K): XspState[K] {
    if (!this.inPlace && !this.copied.has(key)) {
      this.copied.add(key);
      this.s[key] = { ...this.s[key] };
    }
    return this.s[key];
  }

  // --- users -----------------------------------------------------------------------------
  user(userId: string): UserRecord | undefined {
    return Object.hasOwn(this.s.users, userId) ? this.s.users[userId] : undefined;
  }
  /** The user, writable. Call only for a user that exists. */
  userMut(userId: string): UserRecord {
    const users = this.own('users');
    const u = users[userId];
    if (u === undefined) throw new Error(`internal: userMut on unknown user ${userId}`);
    if (this.copiedUsers.has(userId)) return u;
    this.copiedUsers.add(userId);
    const c = copyUser(u);
    users[userId] = c;
    return c;
  }

  // --- subscriptions ---------------------------------------------------------------------
  subscription(id: string): SubscriptionRecord | undefined {
    return Object.hasOwn(this.s.subscriptions, id) ? this.s.subscriptions[id] : undefined;
  }
  subscriptionMut(id: string): SubscriptionRecord {
    const subs = this.own('subscriptions');
    const sub = subs[id];
    if (sub === undefined) throw new Error(`internal: subscriptionMut on unknown subscription ${id}`);
    if (this.copiedSubs.has(id)) return sub;
    this.copiedSubs.add(id);
    const c = { ...sub, target: { ...sub.target } };
    subs[id] = c;
    return c;
  }
  putSubscription(sub: SubscriptionRecord): void {
    this.own('subscriptions')[sub.subscriptionId] = sub;
    this.copiedSubs.add(sub.subscriptionId);
  }
  deleteSubscription(id: string): void {
    if (this.subscription(id)) delete this.own('subscriptions')[id];
  }

  // --- channels ----------------------------------------------------------------------------
  channel(id: string): ChannelRecord | undefined {
    return Object.hasOwn(this.s.channels, id) ? this.s.channels[id] : undefined;
  }
  putChannel(ch: ChannelRecord): void {
    this.own('channels')[ch.channelId] = ch;
  }
  deleteChannel(id: string): void {
    if (this.channel(id)) delete this.own('channels')[id];
  }
  /** Open channels of a set, oldest first (the XSP's preference order in this model). */
  channelsOfSet(channelSetId: string): ChannelRecord[] {
    return Object.values(this.s.channels).filter((c) => c.channelSetId === channelSetId);
  }

  // --- pending (un-acked) events ---------------------------------------------------------------
  pending(eventId: string): PendingEvent | undefined {
    return Object.hasOwn(this.s.pending, eventId) ? this.s.pending[eventId] : undefined;
  }
  putPending(eventId: string, p: PendingEvent): void {
    this.own('pending')[eventId] = p;
  }
  deletePending(eventId: string): void {
    if (this.pending(eventId)) delete this.own('pending')[eventId];
  }

  /** Per-user event clock: the instant the next event about `userId` may be delivered at, earliest. */
  claimUserEventSlot(userId: string, earliest: number): number {
    const last = this.s.userEventClock[userId];
    const at = last !== undefined && last > earliest ? last : earliest;
    if (last !== at) this.own('userEventClock')[userId] = at;
    return at;
  }

  // --- agenda --------------------------------------------------------------------------------
  private queueOwned = false;
  private ownQueue(): Scheduled[] {
    if (!this.queueOwned) {
      this.queueOwned = true;
      this.s.queue = this.s.queue.slice();
    }
    return this.s.queue;
  }
  schedule(at: number, item: Agendum): void {
    const seq = this.s.seq;
    this.s.seq = seq + 1;
    const q = this.ownQueue();
    // Binary search for the first item strictly later than `at`: equal times keep insertion order.
    let lo = 0;
    let hi = q.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((q[mid] as Scheduled).at <= at) lo = mid + 1;
      else hi = mid;
    }
    q.splice(lo, 0, { ...item, at, seq } as Scheduled);
  }
  /** Cancels the agenda items the predicate selects (timers whose subject went away). */
  unschedule(match: (item: Scheduled) => boolean): void {
    if (!this.s.queue.some(match)) return;
    this.queueOwned = true;
    this.s.queue = this.s.queue.filter((item) => !match(item));
  }
  /** Removes and returns the earliest item if it is due at or before `now`. */
  takeDue(now: number): Scheduled | undefined {
    const head = this.s.queue[0];
    if (head === undefined || head.at > now) return undefined;
    return this.ownQueue().shift();
  }

  // --- randomness ------------------------------------------------------------------------------
  /** A uniform uint32 from the state's PRNG. */
  random(): number {
    const r = nextWord(this.s.rng);
    this.s.rng = r.word;
    return r.value;
  }
  /** A uniform integer in [lo, hi]. */
  randomInt(lo: number, hi: number): number {
    if (hi <= lo) return lo;
    return lo + Math.floor((this.random() / 0x1_0000_0000) * (hi - lo + 1));
  }
  /** True with probability p (no draw when p is 0: profile `none` stays draw-free). */
  chance(p: number): boolean {
    if (p <= 0) return false;
    return this.random() / 0x1_0000_0000 < p;
  }
  pick<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : items[this.randomInt(0, items.length - 1)];
  }
  uuid(): string {
    return uuidFromWords(this.random(), this.random(), this.random(), this.random());
  }
}
