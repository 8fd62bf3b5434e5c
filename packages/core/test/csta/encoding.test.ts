/**
 * Decoding a CSTA document's bytes in the encoding it declares (item 7 of issue 12): UTF-8 by
 * default, ISO-8859-1, windows-1252, US-ASCII; bytes invalid for the encoding, or an encoding we
 * do not read, are refused with a reason — never replaced silently.
 */
import { describe, expect, it } from 'vitest';
import { decodeDocumentBytes } from '../../src/csta/encoding.js';

function bytes(...parts: (number[] | string)[]): Uint8Array {
  const all: number[] = [];
  for (const part of parts) all.push(...(typeof part === 'string' ? [...part].map((c) => c.charCodeAt(0)) : part));
  return Uint8Array.from(all);
}

const decl = (encoding: string, quote = '"') => `<?xml version="1.0" encoding=${quote}${encoding}${quote}?>`;

describe('decodeDocumentBytes', () => {
  it('reads UTF-8 with no declaration, with a declaration, and after a byte-order mark', () => {
    const e = [0xc3, 0xa9];
    expect(decodeDocumentBytes(bytes('<a>', e, '</a>'))).toEqual({ ok: true, text: '<a>é</a>', encoding: 'UTF-8' });
    expect(decodeDocumentBytes(bytes(decl('utf-8'), '<a>', e, '</a>'))).toMatchObject({ ok: true, text: `${decl('utf-8')}<a>é</a>` });
    expect(decodeDocumentBytes(bytes([0xef, 0xbb, 0xbf], '<a>', e, '</a>'))).toMatchObject({ ok: true, text: '\uFEFF<a>é</a>' });
  });

  it('reads ISO-8859-1 (any label spelling, single quotes too): every byte is its code point', () => {
    for (const label of ['ISO-8859-1', 'iso-8859-1', 'latin1', 'ISO_8859-1']) {
      expect(decodeDocumentBytes(bytes(decl(label, "'"), '<a>M', [0xfc], 'ller', [0x80], '</a>')))
        .toMatchObject({ ok: true, text: `${decl(label, "'")}<a>Müller\u0080</a>`, encoding: 'ISO-8859-1' });
    }
  });

  it('reads windows-1252, including its 0x80–0x9F characters, and refuses its five undefined bytes', () => {
    expect(decodeDocumentBytes(bytes(decl('windows-1252'), '<a>', [0x80, 0x93, 0xe9, 0x94], '</a>')))
      .toMatchObject({ ok: true, text: `${decl('windows-1252')}<a>€“é”</a>`, encoding: 'windows-1252' });
    expect(decodeDocumentBytes(bytes(decl('cp1252'), '<a>', [0x81], '</a>')))
      .toEqual({ ok: false, reason: expect.stringMatching(/byte 0x81 at offset \d+ is not valid windows-1252/) });
  });

  it('reads US-ASCII and refuses a byte above 0x7F', () => {
    expect(decodeDocumentBytes(bytes(decl('US-ASCII'), '<a>x</a>'))).toMatchObject({ ok: true, encoding: 'US-ASCII' });
    expect(decodeDocumentBytes(bytes(decl('us-ascii'), '<a>', [0xe9], '</a>')))
      .toEqual({ ok: false, reason: expect.stringMatching(/byte 0xe9 at offset 44 is not valid US-ASCII/) });
  });

  it('refuses Latin-1 bytes under a UTF-8 declaration (or none), naming the offset', () => {
    expect(decodeDocumentBytes(bytes(decl('utf-8'), '<a>M', [0xfc], 'ller</a>')))
      .toEqual({ ok: false, reason: 'byte 0xfc at offset 42 is not valid UTF-8' });
    expect(decodeDocumentBytes(bytes('<a>', [0xff], '</a>'))).toEqual({ ok: false, reason: 'byte 0xff at offset 3 is not valid UTF-8' });
  });

  it('refuses overlong forms and encoded surrogates as UTF-8', () => {
    expect(decodeDocumentBytes(bytes('<a>', [0xc0, 0xbc], '</a>'))).toMatchObject({ ok: false, reason: expect.stringMatching(/offset 3 is not valid UTF-8/) });
    expect(decodeDocumentBytes(bytes('<a>', [0xed, 0xa0, 0x80], '</a>'))).toMatchObject({ ok: false, reason: expect.stringMatching(/offset 3 is not valid UTF-8/) });
    expect(decodeDocumentBytes(bytes('<a>', [0xe2, 0x82], '</a>'))).toMatchObject({ ok: false, reason: expect.stringMatching(/offset 3 is not valid UTF-8/) });
  });

  it('refuses an encoding it does not read, and UTF-16 byte-order marks', () => {
    expect(decodeDocumentBytes(bytes(decl('Shift_JIS'), '<a/>')))
      .toEqual({ ok: false, reason: 'encoding "Shift_JIS" is not supported (UTF-8, ISO-8859-1, windows-1252, US-ASCII are)' });
    expect(decodeDocumentBytes(bytes([0xff, 0xfe, 0x3c, 0x00]))).toMatchObject({ ok: false, reason: expect.stringMatching(/UTF-16/) });
  });
});
