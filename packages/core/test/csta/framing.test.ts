import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  EVENT_INVOKE_ID, FRAME_HEADER_BYTES, MAX_FRAME_BYTES, allocateInvokeId, allocateServerInvokeId, createFrameDecoder, createInvokeIdAllocator,
  createServerInvokeIdAllocator, encodeFrame,
  feedFrames,
} from '../../src/csta/framing.js';
import type { CstaFrame, FrameDecoderState } from '../../src/csta/framing.js';

function frame(invokeId: string, xml: string): Uint8Array {
  const encoded = encodeFrame(invokeId, xml);
  if (!(encoded instanceof Uint8Array)) throw new Error(encoded.error.reason);
  return encoded;
}

function bytes(...parts: (number[] | Uint8Array | string)[]): Uint8Array {
  const all: number[] = [];
  for (const part of parts) all.push(...(typeof part === 'string' ? new TextEncoder().encode(part) : part));
  return Uint8Array.from(all);
}

/** Feeds chunks one after another, collecting frames and the first error. */
function feedAll(chunks: Uint8Array[]): { frames: CstaFrame[]; error?: string; state: FrameDecoderState } {
  let state = createFrameDecoder();
  const frames: CstaFrame[] = [];
  for (const chunk of chunks) {
    const result = feedFrames(state, chunk);
    frames.push(...result.frames);
    state = result.state;
    if (result.error) return { frames, error: result.error.reason, state };
  }
  return { frames, state };
}

// The psco-tech MonitorStart test vector, reference/csta.md §6.1.
const MONITOR_START = '<MonitorStart xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed4"><monitorObject><deviceObject typeOfNumber="dialingNumber">212700</deviceObject></monitorObject><monitorType>device</monitorType></MonitorStart>';

describe('encodeFrame (reference/csta.md §8.1)', () => {
  it('reproduces the psco-tech vector: 00 00 00 EB "0001" + 227 bytes of XML', () => {
    const encoded = frame('0001', MONITOR_START);
    expect(encoded.length).toBe(235);
    expect([...encoded.subarray(0, 8)]).toEqual([0x00, 0x00, 0x00, 0xeb, 0x30, 0x30, 0x30, 0x31]);
    expect(new TextDecoder().decode(encoded.subarray(8))).toBe(MONITOR_START);
  });

  it('counts the length in UTF-8 bytes, not characters', () => {
    const encoded = frame(EVENT_INVOKE_ID, '<a>é😀</a>');
    expect(encoded.length).toBe(8 + 7 + 2 + 4);
    expect(encoded[3]).toBe(21);
    expect(String.fromCharCode(...encoded.subarray(4, 8))).toBe('9999');
  });

  it('accepts exactly 65,535 bytes and refuses 65,536', () => {
    const fits = 'x'.repeat(MAX_FRAME_BYTES - FRAME_HEADER_BYTES);
    const encoded = frame('0002', fits);
    expect([encoded[2], encoded[3]]).toEqual([0xff, 0xff]);
    expect(encodeFrame('0002', `${fits}x`)).toEqual({ error: { reason: 'frame would be 65536 bytes, more than 65535' } });
  });

  it('refuses an invoke ID that is not four digits, and a lone surrogate', () => {
    for (const id of ['1', '00001', 'abcd', '12 4', '١٢٣٤']) {
      expect(encodeFrame(id, '<a/>')).toMatchObject({ error: { reason: expect.stringContaining('four ASCII digits') } });
    }
    expect(encodeFrame('0001', '<a>\uD800</a>')).toMatchObject({ error: { reason: expect.stringContaining('surrogate') } });
  });
});

describe('feedFrames', () => {
  it('decodes the psco-tech vector', () => {
    expect(feedFrames(createFrameDecoder(), frame('0001', MONITOR_START)).frames).toEqual([{ invokeId: '0001', xml: MONITOR_START }]);
  });

  it('cuts several frames out of one read and keeps a partial one for later', () => {
    const stream = bytes(frame('0001', '<a/>'), frame('9999', '<b/>'), frame('0002', '<c/>'));
    const first = feedFrames(createFrameDecoder(), stream.subarray(0, stream.length - 3));
    expect(first.frames).toEqual([{ invokeId: '0001', xml: '<a/>' }, { invokeId: '9999', xml: '<b/>' }]);
    expect(first.error).toBeUndefined();
    const second = feedFrames(first.state, stream.subarray(stream.length - 3));
    expect(second.frames).toEqual([{ invokeId: '0002', xml: '<c/>' }]);
    expect(second.state.pending.length).toBe(0);
  });

  it('waits on a truncated header without error', () => {
    const result = feedFrames(createFrameDecoder(), bytes([0, 0, 0, 12, 0x30]));
    expect(result).toMatchObject({ frames: [] });
    expect(result.error).toBeUndefined();
    expect(feedFrames(result.state, bytes('001<a/>')).frames).toEqual([{ invokeId: '0001', xml: '<a/>' }]);
  });

  it('accepts an empty body (the XML layer refuses it later)', () => {
    expect(feedFrames(createFrameDecoder(), bytes([0, 0, 0, 8], '0003')).frames).toEqual([{ invokeId: '0003', xml: '' }]);
  });

  it('never mutates the caller\'s bytes or the previous state', () => {
    const input = bytes(frame('0001', '<a/>'), [0, 0]);
    const copy = input.slice();
    const first = feedFrames(createFrameDecoder(), input);
    const pendingBefore = first.state.pending.slice();
    feedFrames(first.state, bytes([0, 12], '0002<b/>'));
    expect(input).toEqual(copy);
    expect(first.state.pending).toEqual(pendingBefore);
  });

  const faults: [string, Uint8Array, RegExp][] = [
    ['first header byte non-zero', bytes([1]), /header byte 0 is 0x01/],
    ['second header byte non-zero (a uint32 length above 65,535)', bytes([0, 1, 0, 8], '0001'), /header byte 1 is 0x01/],
    ['length smaller than the header', bytes([0, 0, 0, 7]), /length field 7 is less than the 8-byte header/],
    ['non-digit invoke ID', bytes([0, 0, 0, 12], '00a1<a/>'), /invoke ID byte 2 is 0x61/],
  ];
  for (const [what, stream, reason] of faults) {
    it(`reports ${what}, keeps earlier frames, and stays failed`, () => {
      const good = frame('0001', '<ok/>');
      const result = feedFrames(createFrameDecoder(), bytes(good, stream));
      expect(result.frames).toEqual([{ invokeId: '0001', xml: '<ok/>' }]);
      expect(result.error?.reason).toMatch(reason);
      const again = feedFrames(result.state, frame('0002', '<more/>'));
      expect(again.frames).toEqual([]);
      expect(again.error?.reason).toMatch(reason);
    });
  }
});

describe('frames whose bytes are not valid for their encoding (issue 12 item 7: the frame is refused, not the stream)', () => {
  it('returns an undecodable frame under its invoke ID and goes on with the next frame', () => {
    const latin1UnderUtf8 = bytes([0, 0, 0, 13], '0007', [0x3c, 0x61, 0xff, 0x2f, 0x3e]);
    const result = feedFrames(createFrameDecoder(), bytes(latin1UnderUtf8, frame('0008', '<ok/>')));
    expect(result.error).toBeUndefined();
    expect(result.frames).toEqual([
      { invokeId: '0007', undecodable: 'byte 0xff at offset 2 is not valid UTF-8' },
      { invokeId: '0008', xml: '<ok/>' },
    ]);
  });

  it('decodes a body declared ISO-8859-1', () => {
    const declared = '<?xml version="1.0" encoding="ISO-8859-1"?><a>';
    const body = bytes(declared, [0xe9], '</a>');
    const stream = bytes([0, 0, 0, 8 + body.length], '0003', body);
    expect(feedFrames(createFrameDecoder(), stream).frames).toEqual([{ invokeId: '0003', xml: `${declared}é</a>` }]);
  });
});

describe('split invariance (pinned: seed 42, 200 runs)', () => {
  const xml = fc.string({ unit: 'binary', maxLength: 300 }).map((s) => s.replace(/[\uD800-\uDFFF]/g, ''));
  const frames = fc.array(fc.record({ invokeId: fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')), xml }), { maxLength: 6 });

  test.prop([frames, fc.array(fc.nat(), { maxLength: 12 })], { numRuns: 200 })(
    'any split of the stream yields the same frames',
    (sent, cutPoints) => {
      const stream = bytes(...sent.map((f) => frame(f.invokeId, f.xml)));
      const cuts = [...new Set(cutPoints.map((c) => (stream.length === 0 ? 0 : c % (stream.length + 1))))].sort((a, b) => a - b);
      const chunks: Uint8Array[] = [];
      let from = 0;
      for (const cut of [...cuts, stream.length]) {
        chunks.push(stream.subarray(from, cut));
        from = cut;
      }
      const result = feedAll(chunks);
      expect(result.error).toBeUndefined();
      expect(result.frames).toEqual(sent);
      expect(result.state.pending.length).toBe(0);
    },
  );

  test.prop([frames, fc.nat(), fc.nat({ max: 255 })], { numRuns: 200 })(
    'a corrupted stream gives the same frames and error whether fed whole or byte by byte',
    (sent, at, value) => {
      const stream = bytes(...sent.map((f) => frame(f.invokeId, f.xml)), [0, 0, 0, 9], '0001x');
      const corrupt = stream.slice();
      corrupt[at % corrupt.length] = value;
      const whole = feedAll([corrupt]);
      const byteByByte = feedAll([...corrupt].map((b) => Uint8Array.of(b)));
      expect(byteByByte.frames).toEqual(whole.frames);
      expect(byteByByte.error).toEqual(whole.error);
    },
  );
});

describe('InvokeIdAllocator', () => {
  it('hands out 0001…9998, skips 9999 and 0000, and wraps', () => {
    let allocator = createInvokeIdAllocator();
    const seen: string[] = [];
    for (let i = 0; i < 9999; i++) {
      const next = allocateInvokeId(allocator);
      seen.push(next.invokeId);
      allocator = next.allocator;
    }
    expect(seen[0]).toBe('0001');
    expect(seen[9997]).toBe('9998');
    expect(seen[9998]).toBe('0001');
    expect(seen).not.toContain('9999');
    expect(seen).not.toContain('0000');
  });

  it('is a value: allocating does not change the allocator it was given', () => {
    const allocator = createInvokeIdAllocator();
    expect(allocateInvokeId(allocator).invokeId).toBe('0001');
    expect(allocateInvokeId(allocator).invokeId).toBe('0001');
    expect(allocateInvokeId({ next: 9999 }).invokeId).toBe('0001');
  });

  it('next holds the ID to hand out: 1 when fresh, 1 again after 9998 (never 9999)', () => {
    expect(createInvokeIdAllocator()).toEqual({ next: 1 });
    expect(allocateInvokeId({ next: 41 })).toEqual({ invokeId: '0041', allocator: { next: 42 } });
    expect(allocateInvokeId({ next: 9998 })).toEqual({ invokeId: '9998', allocator: { next: 1 } });
  });
});

describe('lengths that need the high byte, and invoke-ID bytes below "0" (mutation-testing gaps)', () => {
  // The split-invariance property rarely draws frames above 255 bytes; these pin the big-endian length.
  it.each([256, 260, 1_000, MAX_FRAME_BYTES])('decodes a %i-byte frame whole and byte by byte', (total) => {
    const xml = `<a>${'x'.repeat(total - FRAME_HEADER_BYTES - 7)}</a>`;
    const stream = frame('0042', xml);
    expect(stream.length).toBe(total);
    expect(feedAll([stream])).toMatchObject({ frames: [{ invokeId: '0042', xml }], state: { pending: new Uint8Array(0) } });
    expect(feedAll([stream.subarray(0, 3), stream.subarray(3, 200), stream.subarray(200)]).frames).toEqual([{ invokeId: '0042', xml }]);
  });

  it('waits for the rest of a frame announced above 255 bytes', () => {
    const stream = frame('0001', `<a>${'y'.repeat(500)}</a>`);
    const result = feedFrames(createFrameDecoder(), stream.subarray(0, 300));
    expect(result).toMatchObject({ frames: [], state: { pending: stream.subarray(0, 300) } });
    expect(result.error).toBeUndefined();
  });

  it.each([
    ['a slash (0x2f, just below "0")', 0x2f, 'invoke ID byte 1 is 0x2f, not an ASCII digit'],
    ['a space', 0x20, 'invoke ID byte 1 is 0x20, not an ASCII digit'],
    ['a line feed (one hex digit, printed as two)', 0x0a, 'invoke ID byte 1 is 0x0a, not an ASCII digit'],
  ])('refuses an invoke ID holding %s', (_what, byte, reason) => {
    expect(feedFrames(createFrameDecoder(), bytes([0, 0, 0, 12, 0x30, byte, 0x30, 0x31], '<a/>')).error?.reason).toBe(reason);
  });

  it('an allocator holding 0 or less still never hands out 0000', () => {
    expect(allocateInvokeId({ next: 0 }).invokeId).toBe('0001');
    expect(allocateInvokeId({ next: -5 }).invokeId).toBe('0001');
  });
});

describe('server-initiated invoke IDs (issue 12 item 8)', () => {
  it('count down from 9998 and wrap at 9000, never 9999 or 0000', () => {
    let allocator = createServerInvokeIdAllocator();
    const seen: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const next = allocateServerInvokeId(allocator, () => false);
      seen.push(next.invokeId!);
      allocator = next.allocator;
    }
    expect(seen.slice(0, 3)).toEqual(['9998', '9997', '9996']);
    expect(seen[998]).toBe('9000');
    expect(seen[999]).toBe('9998');
  });

  it('skip every ID in use (the client\'s outstanding requests, our unanswered ones)', () => {
    const busy = new Set(['9998', '9997', '9995']);
    const first = allocateServerInvokeId(createServerInvokeIdAllocator(), (id) => busy.has(id));
    expect(first.invokeId).toBe('9996');
    expect(allocateServerInvokeId(first.allocator, (id) => busy.has(id)).invokeId).toBe('9994');
  });

  it('fall back to any free ID below 9000 when all of 9000–9998 are in use, and to none when nothing is free', () => {
    const high = (id: string) => Number(id) >= 9000;
    expect(allocateServerInvokeId(createServerInvokeIdAllocator(), high).invokeId).toBe('8999');
    expect(allocateServerInvokeId(createServerInvokeIdAllocator(), () => true).invokeId).toBeUndefined();
  });
});
