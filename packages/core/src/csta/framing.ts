/**
 * CSTA XML over raw TCP ("CSTA XML without SOAP", ECMA-323 annex G.2/J.2; reference/csta.md §8.1).
 *
 * Theory of operation. Every message is an 8-byte header and a UTF-8 XML document:
 *
 *     bytes 0–1   0x00 0x00                          (format indicator / "version")
 *     bytes 2–3   uint16 big-endian TOTAL length     (header included: 8 + XML bytes)
 *     bytes 4–7   invoke ID, four ASCII digits       (`0000`–`9999`; events use `9999`)
 *     bytes 8…    XML (UTF-8, or the encoding the XML declaration names)
 *
 * A frame is at most 65,535 bytes. TCP delivers a byte stream, so the decoder is incremental:
 * `feedFrames(state, bytes)` buffers whatever is incomplete and returns every frame completed so
 * far. Any split of the same stream yields the same frames. A header that breaks the rules means
 * the stream can no longer be trusted to be in step: the decoder reports an error, the shell must
 * close the link, and the state stays failed. A body is decoded in the encoding it declares
 * (encoding.ts); a body whose bytes are invalid for it is only that frame's fault — the length
 * field still put us at the next header — so it comes out as an `undecodable` frame, which the
 * shell answers with a CSTAErrorCode under its invoke ID, and the stream goes on.
 *
 * Pure: Uint8Array in and out, no Buffer, no node imports. The decoder state is a value; feeding
 * never mutates the previous state or the caller's bytes.
 */

import { decodeDocumentBytes } from './encoding.js';

export const FRAME_HEADER_BYTES = 8;
export const MAX_FRAME_BYTES = 65_535;
/** The invoke ID of unsolicited events (and nothing else). */
export const EVENT_INVOKE_ID = '9999';

/** A frame as read: its XML text, or why its bytes could not be decoded (the frame alone is refused). */
export type CstaFrame = { invokeId: string; xml: string } | { invokeId: string; undecodable: string };

export interface FrameError {
  reason: string;
}

/** A frame ready for the socket, or why it cannot be sent. */
export function encodeFrame(invokeId: string, xml: string): Uint8Array | { error: FrameError } {
  if (!/^[0-9]{4}$/.test(invokeId)) return { error: { reason: `invoke ID "${invokeId}" is not four ASCII digits` } };
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(xml)) {
    return { error: { reason: 'XML contains a lone surrogate; it has no UTF-8 form' } };
  }
  const body = new TextEncoder().encode(xml);
  const total = FRAME_HEADER_BYTES + body.length;
  if (total > MAX_FRAME_BYTES) return { error: { reason: `frame would be ${total} bytes, more than ${MAX_FRAME_BYTES}` } };
  const frame = new Uint8Array(total);
  frame[2] = total >> 8;
  frame[3] = total & 0xff;
  for (let i = 0; i < 4; i++) frame[4 + i] = invokeId.charCodeAt(i);
  frame.set(body, FRAME_HEADER_BYTES);
  return frame;
}

// ------------------------------------------------------------------------------------------------
// Incremental decoder

export interface FrameDecoderState {
  /** Bytes received but not yet part of a complete frame. */
  readonly pending: Uint8Array;
  /** Set once the stream broke the framing rules; every later feed repeats it. */
  readonly failure?: string;
}

export interface FeedResult {
  state: FrameDecoderState;
  frames: CstaFrame[];
  /** The link must be closed. Frames completed before the fault are still returned. */
  error?: FrameError;
}

export function createFrameDecoder(): FrameDecoderState {
  return { pending: new Uint8Array(0) };
}

export function feedFrames(state: FrameDecoderState, bytes: Uint8Array): FeedResult {
  if (state.failure !== undefined) return { state, frames: [], error: { reason: state.failure } };
  const buffer = concat(state.pending, bytes);
  const frames: CstaFrame[] = [];
  let offset = 0;
  for (;;) {
    const available = buffer.length - offset;
    // Each header rule is checked as soon as its bytes are here: a broken stream fails fast.
    const fault = headerFault(buffer, offset, available);
    if (fault !== undefined) {
      return { state: { pending: new Uint8Array(0), failure: fault }, frames, error: { reason: fault } };
    }
    if (available < FRAME_HEADER_BYTES) break;
    const total = ((buffer[offset + 2] ?? 0) << 8) | (buffer[offset + 3] ?? 0);
    if (available < total) break;
    const invokeId = String.fromCharCode(...buffer.subarray(offset + 4, offset + 8));
    const body = decodeDocumentBytes(buffer.subarray(offset + FRAME_HEADER_BYTES, offset + total));
    frames.push(body.ok ? { invokeId, xml: body.text } : { invokeId, undecodable: body.reason });
    offset += total;
  }
  // Copy the remainder, so the state does not pin the whole buffer.
  return { state: { pending: buffer.slice(offset) }, frames };
}

function headerFault(buffer: Uint8Array, offset: number, available: number): string | undefined {
  for (let i = 0; i < Math.min(available, 2); i++) {
    const b = buffer[offset + i] ?? 0;
    if (b !== 0) return `header byte ${i} is 0x${b.toString(16).padStart(2, '0')}, must be 0x00`;
  }
  if (available >= 4) {
    const total = ((buffer[offset + 2] ?? 0) << 8) | (buffer[offset + 3] ?? 0);
    if (total < FRAME_HEADER_BYTES) return `length field ${total} is less than the ${FRAME_HEADER_BYTES}-byte header`;
  }
  for (let i = 4; i < Math.min(available, FRAME_HEADER_BYTES); i++) {
    const b = buffer[offset + i] ?? 0;
    if (b < 0x30 || b > 0x39) return `invoke ID byte ${i - 4} is 0x${b.toString(16).padStart(2, '0')}, not an ASCII digit`;
  }
  return undefined;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

// ------------------------------------------------------------------------------------------------
// Invoke IDs for server-originated requests (SystemStatus, MonitorStop)

/** The next invoke ID to hand out. `9999` is for events and `0000` is never used: 0001…9998, wrapping. */
export interface InvokeIdAllocator {
  readonly next: number;
}

export function createInvokeIdAllocator(): InvokeIdAllocator {
  return { next: 1 };
}

export function allocateInvokeId(allocator: InvokeIdAllocator): { allocator: InvokeIdAllocator; invokeId: string } {
  const current = allocator.next >= 1 && allocator.next <= 9998 ? Math.trunc(allocator.next) : 1;
  return {
    invokeId: String(current).padStart(4, '0'),
    allocator: { next: current === 9998 ? 1 : current + 1 },
  };
}

// ------------------------------------------------------------------------------------------------
// Invoke IDs for the server's own requests on a link (SystemStatus: start-up, probes, changes)

/**
 * The rule (issue 12 item 8): the server counts DOWN from 9998 to 9000 and wraps, skipping every
 * ID `inUse` names — the client's requests still unanswered on that link and our own requests the
 * client has not answered yet. Clients count up from 0000/0001 and wrap at or before 9000 (the Go
 * client) or skip 9999, so the top of the range is the last they reach; and a client that matches
 * frames by invoke ID before message type never sees one of its outstanding IDs on our request.
 * 9999 stays for events. Should all of 9000–9998 be in use, any free ID below is taken; none free
 * (10,000 requests outstanding) → undefined, and the caller skips that request.
 */
export interface ServerInvokeIdAllocator {
  readonly next: number;
}

const SERVER_ID_TOP = 9998;
const SERVER_ID_BOTTOM = 9000;

export function createServerInvokeIdAllocator(): ServerInvokeIdAllocator {
  return { next: SERVER_ID_TOP };
}

export function allocateServerInvokeId(
  allocator: ServerInvokeIdAllocator,
  inUse: (invokeId: string) => boolean,
): { allocator: ServerInvokeIdAllocator; invokeId: string | undefined } {
  const span = SERVER_ID_TOP - SERVER_ID_BOTTOM + 1;
  const start = allocator.next >= SERVER_ID_BOTTOM && allocator.next <= SERVER_ID_TOP ? Math.trunc(allocator.next) : SERVER_ID_TOP;
  for (let i = 0; i < span; i++) {
    const n = start - i >= SERVER_ID_BOTTOM ? start - i : start - i + span;
    const id = String(n);
    if (!inUse(id)) return { invokeId: id, allocator: { next: n === SERVER_ID_BOTTOM ? SERVER_ID_TOP : n - 1 } };
  }
  for (let n = SERVER_ID_BOTTOM - 1; n >= 0; n--) {
    const id = String(n).padStart(4, '0');
    if (!inUse(id)) return { invokeId: id, allocator };
  }
  return { invokeId: undefined, allocator };
}
