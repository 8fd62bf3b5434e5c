/**
 * Headers a real XSP puts on every Xsi answer (reference/xsi.md §1.3, interop.md: a 2022 capture):
 * - `TrackingID`: the client's own when it sent one (Webex clients do), else one of ours —
 *   `XSPSIM_<n>`, n counting the server's Xsi requests from 1, so the same requests give the
 *   same ids;
 * - `Set-Cookie: JSESSIONID=…; Path=/com.broadsoft.xsi-actions|xsi-events; HttpOnly` when the
 *   request brings no JSESSIONID. The cookie is only a performance aid on BroadWorks (Basic
 *   credentials are still required), so the simulator hands it out and never checks it. No
 *   `Secure` flag: the simulator speaks plain HTTP, and a Secure cookie would never come back.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const counters = new WeakMap<object, number>();

/** Stamps `res`; `server` is any object that lives as long as the server (the counter's key). */
export function stampAnswer(server: object, req: IncomingMessage, res: ServerResponse, application: 'xsi-actions' | 'xsi-events'): void {
  const n = (counters.get(server) ?? 0) + 1;
  counters.set(server, n);
  const theirs = req.headers['trackingid'];
  const tracking = typeof theirs === 'string' && /^[\x21-\x7e]{1,256}$/.test(theirs) ? theirs : `XSPSIM_${n}`;
  res.setHeader('TrackingID', tracking);
  const cookies = req.headers.cookie ?? '';
  if (!/(?:^|;\s*)JSESSIONID=/.test(cookies)) {
    res.setHeader('Set-Cookie', `JSESSIONID=${n.toString(16).toUpperCase().padStart(32, '0')}; Path=/com.broadsoft.${application}; HttpOnly`);
  }
}
