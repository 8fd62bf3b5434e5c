/**
 * Which channel events reach the connector: duplicates dropped, sequence gaps detected.
 *
 * Theory of operation (reference/xsi.md §5.6, §5.7)
 * - The XSP redelivers an event it believes was not acknowledged (after a 500/404 answer, a
 *   lost channel) with the same `eventID`: a recently seen eventID is a duplicate. The memory
 *   is a bounded FIFO, because a channel lives for days.
 * - `sequenceNumber` runs per subscription from 1, wrapping 2147483647 → 1, in order per user.
 *   The next number we expect is last + 1. A larger one means events were lost; a smaller one
 *   (not a duplicate) means a stale event — in both cases the connector must re-read the truth
 *   (DESIGN §4.9), so the verdict is `gap`. A newer event is still delivered (it is the truth
 *   at its time); a stale one is not.
 * - The first event of a subscription we did not create sets the baseline. A subscription we
 *   just created (`expectFresh`) must start at 1 — initial events lost before the POST answer
 *   count as a gap.
 */
export const MAX_SEQUENCE_NUMBER = 2_147_483_647;
export const DEFAULT_EVENT_ID_MEMORY = 4_096;

export type EventVerdict = 'deliver' | 'duplicate' | 'gap' | 'stale';

export class EventOrder {
  private readonly seen = new Set<string>();
  private readonly seenOrder: string[] = [];
  private readonly lastSequence = new Map<string, number>();

  constructor(private readonly memory = DEFAULT_EVENT_ID_MEMORY) {}

  /** A subscription we created: its first event should carry sequence number 1. */
  expectFresh(subscriptionId: string): void {
    if (!this.lastSequence.has(subscriptionId)) this.lastSequence.set(subscriptionId, 0);
  }

  /** The subscription ended: forget its numbering. */
  forget(subscriptionId: string): void {
    this.lastSequence.delete(subscriptionId);
  }

  /** Classify one event and remember it. `gap` events are delivered too; `stale` ones are not. */
  admit(eventId: string, subscriptionId: string, sequenceNumber: number): EventVerdict {
    if (this.seen.has(eventId)) return 'duplicate';
    this.seen.add(eventId);
    this.seenOrder.push(eventId);
    if (this.seenOrder.length > this.memory) this.seen.delete(this.seenOrder.shift()!);

    const last = this.lastSequence.get(subscriptionId);
    if (last === undefined) {
      this.lastSequence.set(subscriptionId, sequenceNumber);
      return 'deliver';
    }
    const expected = last >= MAX_SEQUENCE_NUMBER ? 1 : last + 1;
    if (sequenceNumber === expected) {
      this.lastSequence.set(subscriptionId, sequenceNumber);
      return 'deliver';
    }
    if (isAhead(sequenceNumber, last)) {
      this.lastSequence.set(subscriptionId, sequenceNumber);
      return 'gap';
    }
    return 'stale';
  }
}

/** True when `seq` comes after `last` in wrapping order (within half the number space). */
function isAhead(seq: number, last: number): boolean {
  const distance = (seq - last + MAX_SEQUENCE_NUMBER) % MAX_SEQUENCE_NUMBER;
  return distance > 0 && distance < MAX_SEQUENCE_NUMBER / 2;
}
