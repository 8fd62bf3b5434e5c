/**
 * Traces (DESIGN §7): every message between the CSTA clients, the connector and the XSP, one
 * JSON object per line, and the same trace as a Mermaid sequence diagram.
 */
import type { CstaError, CstaEvent, CstaRequest, CstaResponse, XsiCommand, XsiEvent, XsiOutcome } from '@csta-bw/core';

export type Party = 'csta' | 'connector' | 'xsp';

export interface TraceEntry {
  seq: number;
  at: number;
  from: Party;
  to: Party;
  msg: string;
  args: Record<string, unknown>;
}

export class Trace {
  readonly entries: TraceEntry[] = [];

  add(at: number, from: Party, to: Party, msg: string, args: Record<string, unknown> = {}): void {
    this.entries.push({ seq: this.entries.length + 1, at, from, to, msg, args });
  }

  request(at: number, link: string, invokeId: string, r: CstaRequest): void {
    const { service, ...rest } = r as CstaRequest & Record<string, unknown>;
    this.add(at, 'csta', 'connector', String(service === 'Unsupported' ? (r as { name?: string }).name ?? service : service), { link, invokeId, ...rest });
  }

  response(at: number, link: string, invokeId: string, r: CstaResponse): void {
    const { service, ...rest } = r;
    this.add(at, 'connector', 'csta', service, { link, invokeId, ...rest });
  }

  error(at: number, link: string, invokeId: string, e: CstaError): void {
    this.add(at, 'connector', 'csta', 'CSTAErrorCode', { link, invokeId, [e.category]: e.value });
  }

  event(at: number, link: string, monitorCrossRefId: string, e: CstaEvent): void {
    const { name, ...rest } = e;
    this.add(at, 'connector', 'csta', name, { link, monitorCrossRefID: monitorCrossRefId, ...rest });
  }

  /** `node`: the XSP the command went to, when there are several (docs/redundancy.md). */
  command(at: number, commandId: number, c: XsiCommand, node?: number): void {
    const body = 'body' in c ? c.body : 'packages' in c ? { packages: c.packages } : {};
    this.add(at, 'connector', 'xsp', c.op, { userId: c.userId, ...body, commandId, ...(node !== undefined ? { node } : {}) });
  }

  result(at: number, commandId: number, op: string | undefined, o: XsiOutcome, userId?: string, node?: number): void {
    const via = node !== undefined ? { node } : {};
    if ('transportError' in o) {
      this.add(at, 'xsp', 'connector', 'transportError', { commandId, op, reason: o.transportError, ...via });
      return;
    }
    const args: Record<string, unknown> = { commandId, op, ...(userId !== undefined ? { userId } : {}), ...via };
    if (o.body?.kind === 'ErrorInfo') args.errorCode = o.body.error.errorCode;
    // What a read saw, so a trace shows what the connector learnt from it.
    if (o.body?.kind === 'HotelingGuest') args.hostUserId = o.body.info.hostUserId ?? null;
    if (o.body?.kind === 'CallCenter') args.agentACDState = o.body.agentACDState;
    if (o.body?.kind === 'CallForwardingAlways') args.forwarding = o.body.info.active ? `on→${o.body.info.forwardToPhoneNumber ?? ''}` : 'off';
    this.add(at, 'xsp', 'connector', String(o.status), args);
  }

  xsiEvent(at: number, e: XsiEvent): void {
    const { type, targetId, eventId: _e, sequenceNumber: _s, subscriptionId: _sub, ...fields } = e as XsiEvent & Record<string, unknown>;
    const flat = 'info' in fields ? (fields.info as Record<string, unknown>) : fields;
    this.add(at, 'xsp', 'connector', type, { targetId, ...flat });
  }

  toJsonLines(): string {
    return this.entries.map((e) => JSON.stringify(e)).join('\n') + (this.entries.length ? '\n' : '');
  }

  toMermaid(title?: string): string {
    return renderMermaid(this.entries, title);
  }
}

function argText(args: Record<string, unknown>): string {
  return Object.entries(args)
    .filter(([k, v]) => v !== undefined && k !== 'link' && k !== 'commandId' && k !== 'invokeId')
    .map(([k, v]) => `${k}=${v === null ? 'nil' : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ')
    .replace(/[;#]/g, ' ');
}

export function renderMermaid(entries: TraceEntry[], title?: string): string {
  const lines = ['sequenceDiagram'];
  if (title) lines.push(`  title ${title.replace(/[\n;#]/g, ' ')}`);
  lines.push('  participant csta as CSTA clients', '  participant connector as csta-bw connector', '  participant xsp as XSP (BroadWorks)');
  for (const e of entries) {
    const arrow = e.from === 'xsp' && e.to === 'connector' && /^[0-9]/.test(e.msg) ? '-->>' : '->>';
    const text = `${e.msg} ${argText(e.args)}`.trim();
    lines.push(`  ${e.from}${arrow}${e.to}: [${e.at}ms] ${text}`);
  }
  return lines.join('\n') + '\n';
}
