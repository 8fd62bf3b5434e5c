/**
 * The XSPs the connector may use, and which one gets the next Xsi-Actions request (issue 15,
 * DESIGN §10, reference/xsi.md §5.1, genesys-bw-connector.md §12.3).
 *
 * Theory of operation
 * 1. Health: a node that failed (a transport error, a 5xx, a lost event channel) is avoided
 *    until its backoff runs out — exponential and jittered per node, like the event channel's
 *    reconnection — and is healthy again on its next success or when its channel comes up.
 * 2. Order: the node that answered last, if healthy; then the other healthy nodes in the order
 *    they were configured; then the failed ones, soonest retry first. A node whose event channel
 *    is down is not healthy while another node's is up, and comes after the nodes that only
 *    failed lately: a partitioned XSP answers nothing, so its running-out backoff proves nothing
 *    (with no channel up anywhere the channels say nothing). A request is never refused for lack
 *    of a healthy node: the list only says whom to try first.
 * 3. Moving on: a request goes to the next node only when the first cannot have acted on it —
 *    the connection was refused (nothing was sent) or the XSP said 503 (not processed) — or
 *    when repeating it is harmless (GETs, subscription POST/PUT: the XSP keeps one subscription
 *    per target, package and set). A PUT that may have been applied — a reset mid-request, a
 *    timeout, a 500 — goes back to the core as it is: the core's retry (or its "uncertain"
 *    compensation) decides, and its retry lands on a healthy node by rule 2.
 */
import { reconnectDelay, type BackoffPolicy } from './backoff.js';
import { isTransportFailure, sendRequest, xsiUrl, type HttpAnswer, type RequestSpec, type TransportFailure, type XsiConnection } from './httpClient.js';

/** One Xsi request by path; `repeatable` = harmless to send again to another node (rule 3). */
export interface XsiRequest {
  method: RequestSpec['method'];
  path: string;
  body?: string;
  repeatable: boolean;
}

export type XsiSend = (request: XsiRequest) => Promise<HttpAnswer | TransportFailure>;

export interface XspNode {
  index: number;
  connection: XsiConnection;
  /** performance.now() before which the node is avoided; 0 = healthy. */
  failedUntil: number;
  failures: number;
}

/** Socket errors raised before any byte of the request left: the XSP cannot have acted. */
const NOT_SENT = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL)\b/;

export class XspNodes {
  readonly nodes: XspNode[];
  private preferred = 0;

  constructor(
    connections: XsiConnection[],
    private readonly o: { backoff: BackoffPolicy; random: () => number; log: (line: string) => void; now?: () => number; channelUp?: (index: number) => boolean },
  ) {
    this.nodes = connections.map((connection, index) => ({ index, connection, failedUntil: 0, failures: 0 }));
  }

  private now(): number {
    return (this.o.now ?? (() => performance.now()))();
  }

  /** Rule 2. */
  order(): XspNode[] {
    const now = this.now();
    const up = this.o.channelUp ?? (() => true);
    const anyUp = this.nodes.some((n) => up(n.index));
    const channelDown = (n: XspNode) => (anyUp && !up(n.index) ? 1 : 0);
    const healthy = this.nodes.filter((n) => n.failedUntil <= now && channelDown(n) === 0);
    const first = healthy.find((n) => n.index === this.preferred);
    const failed = this.nodes.filter((n) => !healthy.includes(n)).sort((a, b) => channelDown(a) - channelDown(b) || a.failedUntil - b.failedUntil);
    return [...(first ? [first] : []), ...healthy.filter((n) => n !== first), ...failed];
  }

  /** Rule 1: avoid the node for a while (longer each time it fails again). */
  markFailed(index: number, why: string): void {
    const n = this.nodes[index];
    if (!n) return;
    const wait = reconnectDelay(this.o.backoff, n.failures++, this.o.random());
    n.failedUntil = this.now() + wait;
    if (this.nodes.length > 1) this.o.log(`xsi: XSP #${index + 1} ${n.connection.baseUrl.host} avoided for ${wait} ms: ${why}`);
  }

  markHealthy(index: number): void {
    const n = this.nodes[index];
    if (!n) return;
    n.failedUntil = 0;
    n.failures = 0;
  }

  /** Send the next request to `index` first (operator choice, tests). */
  prefer(index: number): void {
    if (this.nodes[index]) this.preferred = index;
  }

  /** Rules 2 and 3: one request, moving on only when that cannot do harm. */
  readonly send: XsiSend = async (request) => {
    const order = this.order();
    let last: HttpAnswer | TransportFailure = { transportError: 'no XSP configured' };
    for (const [i, node] of order.entries()) {
      const answer = await sendRequest(node.connection, {
        method: request.method, url: xsiUrl(node.connection.baseUrl, request.path), ...(request.body !== undefined ? { body: request.body } : {}),
      });
      last = answer;
      const failed = isTransportFailure(answer) ? answer.transportError : answer.status >= 500 ? `HTTP ${answer.status}` : undefined;
      if (failed === undefined) {
        this.markHealthy(node.index);
        this.preferred = node.index;
        return answer;
      }
      this.markFailed(node.index, failed);
      const notActedOn = isTransportFailure(answer) ? NOT_SENT.test(answer.transportError) : answer.status === 503;
      const more = i < order.length - 1;
      if (!more || !(notActedOn || request.repeatable)) break;
      this.o.log(`xsi: ${request.method} ${request.path.split('?')[0]} → XSP #${node.index + 1} failed (${failed}); trying XSP #${order[i + 1]!.index + 1}`);
    }
    return last;
  };
}
