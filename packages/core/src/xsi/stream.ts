/**
 * Splitting the Xsi-Events channel stream into whole XML documents.
 *
 * Theory of operation (reference/xsi.md §5.2 "Stream framing"): the XSP writes each document
 * (Channel, ChannelHeartBeat, xsi:Event) as its own HTTP chunk, but proxies and client stacks
 * merge and split chunks freely, so chunk boundaries mean nothing. This splitter reads the
 * character stream with a tiny lexical state machine — just enough XML to know where markup
 * starts and ends — and counts element depth. A document runs from its first non-blank
 * character (an optional `<?xml …?>` declaration, comments, PIs) to the `>` that brings the
 * depth back to zero (a self-closing root such as `<ChannelHeartBeat …/>` counts).
 *
 * Rules
 * 1. The scan is incremental: each character is examined once, whatever the chunking, so the
 *    result is the same for every split of the stream (tested at every byte position).
 * 2. Quotes inside tags, comments (`-->`), CDATA (`]]>`) and PIs (`?>`) are honoured, so a `>`
 *    in an attribute value or comment never ends a document early.
 * 3. Bounded: a document longer than `maxDocumentChars` (default 1 MiB) is an error.
 * 4. Errors are sticky: after text outside a document, a markup declaration (`<!DOCTYPE`), an
 *    unbalanced end tag or an oversize document the stream is desynchronised and every later
 *    feed reports the same error; the adapter drops the channel and opens a new one.
 * The state is plain data; `feedDocuments` returns a new state and never mutates its input.
 */

type ScanMode = 'text' | 'lt' | 'pi' | 'bang' | 'comment' | 'cdata' | 'startTag' | 'endTag';

export interface DocumentSplitterState {
  /** The unfinished document so far (empty between documents). */
  readonly pending: string;
  readonly mode: ScanMode;
  /** Open elements in the unfinished document. */
  readonly depth: number;
  /** Inside a start tag: the quote character of an open attribute value, else ''. */
  readonly quote: string;
  /** The last (up to) two characters of the current construct, to spot `?>`, `-->`, `]]>`, `/>`. */
  readonly recent: string;
  /** Characters after `<!`, while deciding between a comment and a CDATA section. */
  readonly bang: string;
  readonly maxDocumentChars: number;
  /** Set once the stream is desynchronised. */
  readonly failed?: string;
}

export interface DocumentSplitterOptions {
  maxDocumentChars?: number;
}

export const DEFAULT_MAX_DOCUMENT_CHARS = 1_048_576;

export function createDocumentSplitter(options: DocumentSplitterOptions = {}): DocumentSplitterState {
  return {
    pending: '',
    mode: 'text',
    depth: 0,
    quote: '',
    recent: '',
    bang: '',
    maxDocumentChars: options.maxDocumentChars ?? DEFAULT_MAX_DOCUMENT_CHARS,
  };
}

export interface DocumentFeedResult {
  state: DocumentSplitterState;
  /** Whole documents completed by this chunk, in stream order. */
  documents: string[];
  error?: string;
}

const COMMENT_OPEN = '--';
const CDATA_OPEN = '[CDATA[';

export function feedDocuments(state: DocumentSplitterState, chunk: string): DocumentFeedResult {
  if (state.failed !== undefined) return { state, documents: [], error: state.failed };
  if (typeof chunk !== 'string') return fail(state, [], 'stream chunk is not a string');

  const buffer = state.pending + chunk;
  const documents: string[] = [];
  let { mode, depth, quote, recent, bang } = state;
  // Where the unfinished document starts in `buffer`; -1 between documents.
  let start = state.pending === '' ? -1 : 0;

  for (let i = state.pending.length; i < buffer.length; i++) {
    const c = buffer[i]!;
    if (start >= 0 && i - start >= state.maxDocumentChars) {
      return fail(state, documents, `XML document larger than ${state.maxDocumentChars} characters`);
    }
    switch (mode) {
      case 'text':
        if (c === '<') {
          if (start < 0) start = i;
          mode = 'lt';
        } else if (depth === 0 && !isBlank(c)) {
          return fail(state, documents, `text outside an XML document: "${buffer.slice(i, i + 20)}"`);
        }
        break;
      case 'lt':
        if (c === '?') {
          mode = 'pi';
          recent = '';
        } else if (c === '!') {
          mode = 'bang';
          bang = '';
        } else if (c === '/') {
          mode = 'endTag';
        } else if (c === '>' || c === '<' || isBlank(c)) {
          return fail(state, documents, `malformed markup "<${c}"`);
        } else {
          mode = 'startTag';
          quote = '';
          recent = c;
        }
        break;
      case 'pi':
        if (c === '>' && recent.endsWith('?')) mode = 'text';
        recent = (recent + c).slice(-2);
        break;
      case 'bang':
        bang += c;
        if (bang === COMMENT_OPEN) {
          mode = 'comment';
          recent = '';
        } else if (bang === CDATA_OPEN) {
          mode = 'cdata';
          recent = '';
        } else if (!COMMENT_OPEN.startsWith(bang) && !CDATA_OPEN.startsWith(bang)) {
          return fail(state, documents, `XML markup declarations are not allowed ("<!${bang}")`);
        }
        break;
      case 'comment':
        if (c === '>' && recent === '--') mode = 'text';
        recent = (recent + c).slice(-2);
        break;
      case 'cdata':
        if (c === '>' && recent === ']]') mode = 'text';
        recent = (recent + c).slice(-2);
        break;
      case 'startTag':
        if (quote !== '') {
          if (c === quote) quote = '';
        } else if (c === '"' || c === "'") {
          quote = c;
        } else if (c === '>') {
          mode = 'text';
          if (recent !== '/') depth++;
          else if (depth === 0) {
            documents.push(buffer.slice(start, i + 1));
            start = -1;
          }
        }
        recent = c;
        break;
      case 'endTag':
        if (c === '>') {
          mode = 'text';
          if (depth === 0) return fail(state, documents, 'end tag without a matching start tag');
          depth--;
          if (depth === 0) {
            documents.push(buffer.slice(start, i + 1));
            start = -1;
          }
        }
        break;
    }
  }

  const pending = start < 0 ? '' : buffer.slice(start);
  if (pending.length > state.maxDocumentChars) {
    return fail(state, documents, `XML document larger than ${state.maxDocumentChars} characters`);
  }
  return { state: { pending, mode, depth, quote, recent, bang, maxDocumentChars: state.maxDocumentChars }, documents };
}

function fail(state: DocumentSplitterState, documents: string[], error: string): DocumentFeedResult {
  return {
    state: { ...createDocumentSplitter({ maxDocumentChars: state.maxDocumentChars }), failed: error },
    documents,
    error,
  };
}

function isBlank(c: string): boolean {
  return c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\uFEFF';
}
