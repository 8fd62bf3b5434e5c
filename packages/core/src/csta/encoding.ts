/**
 * A CSTA document's bytes → text, in the encoding the document declares (XML 1.0 §4.3.3).
 *
 * Theory of operation. Writers exist that are not UTF-8: documents declared `ISO-8859-1`, and
 * C# writers that put one byte per char (Latin-1) under a UTF-8 declaration (reference/interop.md).
 * We read the `encoding` pseudo-attribute of the XML declaration (ASCII-compatible, so it can be
 * read before knowing the encoding); absent, the document is UTF-8 (a UTF-8 BOM agrees). We read
 * UTF-8, ISO-8859-1, windows-1252 and US-ASCII, each strictly: a byte the encoding does not define
 * is refused with its offset, never replaced, because a replaced byte in a device or agent id would
 * act on the wrong object. The caller refuses that one frame; the stream itself is still in step.
 * Pure: no TextDecoder labels (the WHATWG ones map ISO-8859-1 and US-ASCII to windows-1252).
 */

export type DocumentEncoding = 'UTF-8' | 'ISO-8859-1' | 'windows-1252' | 'US-ASCII';

export type DecodedDocument = { ok: true; text: string; encoding: DocumentEncoding } | { ok: false; reason: string };

const LABELS: Record<string, DocumentEncoding> = {
  'utf-8': 'UTF-8', utf8: 'UTF-8',
  'iso-8859-1': 'ISO-8859-1', iso8859_1: 'ISO-8859-1', 'iso_8859-1': 'ISO-8859-1', 'iso8859-1': 'ISO-8859-1', latin1: 'ISO-8859-1',
  'latin-1': 'ISO-8859-1', l1: 'ISO-8859-1', 'iso-ir-100': 'ISO-8859-1', cp819: 'ISO-8859-1', ibm819: 'ISO-8859-1',
  'iso_8859-1:1987': 'ISO-8859-1',
  'windows-1252': 'windows-1252', cp1252: 'windows-1252', 'x-cp1252': 'windows-1252',
  'us-ascii': 'US-ASCII', ascii: 'US-ASCII', 'iso646-us': 'US-ASCII', 'ansi_x3.4-1968': 'US-ASCII',
};

/** windows-1252 0x80–0x9F; 0 marks the five bytes the code page leaves undefined. */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

export function decodeDocumentBytes(bytes: Uint8Array): DecodedDocument {
  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe)) {
    return { ok: false, reason: 'UTF-16 documents are not supported (UTF-8, ISO-8859-1, windows-1252, US-ASCII are)' };
  }
  const declared = declaredEncoding(bytes);
  const encoding = declared === undefined ? 'UTF-8' : LABELS[declared.toLowerCase()];
  if (encoding === undefined) {
    return { ok: false, reason: `encoding "${declared}" is not supported (UTF-8, ISO-8859-1, windows-1252, US-ASCII are)` };
  }
  const decoded = encoding === 'UTF-8' ? utf8(bytes) : singleByte(bytes, encoding);
  return typeof decoded === 'number'
    ? { ok: false, reason: `byte 0x${(bytes[decoded] ?? 0).toString(16).padStart(2, '0')} at offset ${decoded} is not valid ${encoding}` }
    : { ok: true, text: decoded, encoding };
}

/** The `encoding` of a leading XML declaration, read as ASCII; undefined when there is none. */
function declaredEncoding(bytes: Uint8Array): string | undefined {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let head = '';
  for (let i = start; i < Math.min(bytes.length, start + 256); i++) {
    const b = bytes[i] ?? 0;
    if (b >= 0x80) break;
    head += String.fromCharCode(b);
    if (head.endsWith('?>')) break;
  }
  if (!head.startsWith('<?xml')) return undefined;
  const match = /^<\?xml\s[^?]*?\bencoding\s*=\s*(["'])([^"']*)\1/.exec(head);
  return match ? match[2] : undefined;
}

/** Strict UTF-8: the text, or the offset of the first byte that starts an invalid sequence. */
function utf8(bytes: Uint8Array): string | number {
  let text = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      text += String.fromCharCode(b);
      i++;
      continue;
    }
    // Lead byte → length and the smallest code point that length may carry (no overlong forms).
    const [length, min] = b >= 0xc2 && b <= 0xdf ? [2, 0x80] : b >= 0xe0 && b <= 0xef ? [3, 0x800] : b >= 0xf0 && b <= 0xf4 ? [4, 0x10000] : [0, 0];
    if (length === 0 || i + length > bytes.length) return i;
    let cp = b & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k] ?? 0;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    text += String.fromCodePoint(cp);
    i += length;
  }
  return text;
}

function singleByte(bytes: Uint8Array, encoding: Exclude<DocumentEncoding, 'UTF-8'>): string | number {
  let text = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) text += String.fromCharCode(b);
    else if (encoding === 'US-ASCII') return i;
    else if (encoding === 'windows-1252' && b < 0xa0) {
      const cp = CP1252_HIGH[b - 0x80] ?? 0;
      if (cp === 0) return i;
      text += String.fromCharCode(cp);
    } else text += String.fromCharCode(b);
  }
  return text;
}
