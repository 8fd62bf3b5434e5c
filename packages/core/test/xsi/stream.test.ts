import { describe, it, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { createDocumentSplitter, feedDocuments, type DocumentSplitterState } from '../../src/xsi/stream.js';
import { decodeStreamDocument } from '../../src/xsi/events.js';

/** A recorded-style burst: channel answer, heartbeat, events (one with non-ASCII text and a '>' in an attribute), termination. */
const CHANNEL =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Channel xmlns="http://schema.broadsoft.com/xsi"><channelId>64eddc79-b707-4827-aacd-487fb5cb8427</channelId><expires>86400</expires></Channel>';
const HEARTBEAT = '<?xml version="1.0" encoding="UTF-8"?><ChannelHeartBeat xmlns="http://schema.broadsoft.com/xsi"/>';
const EVENT_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?><xsi:Event xmlns:xsi="http://schema.broadsoft.com/xsi" xmlns:xsi1="http://www.w3.org/2001/XMLSchema-instance" xsi1:type="xsi:SubscriptionEvent">';
const AGENT_EVENT = `${EVENT_OPEN}<xsi:eventID>01c3bb60-cc07-4043-9c9d-9981ac480e3a</xsi:eventID><xsi:sequenceNumber>27</xsi:sequenceNumber><xsi:userId>admin@example.com</xsi:userId><xsi:subscriptionId>209389b3</xsi:subscriptionId><xsi:channelId>a61750ee</xsi:channelId><xsi:targetId>agent1@example.com</xsi:targetId><xsi:eventData xsi1:type="xsi:AgentStateEvent"><xsi:agentStateInfo><xsi:state>Unavailable</xsi:state><xsi:stateTimestamp><xsi:value>1505395898803</xsi:value></xsi:stateTimestamp></xsi:agentStateInfo></xsi:eventData></xsi:Event>`;
const GUEST_EVENT = `${EVENT_OPEN}<xsi:eventID>e2</xsi:eventID><xsi:sequenceNumber>28</xsi:sequenceNumber><xsi:userId>admin@example.com</xsi:userId><xsi:subscriptionId>s2</xsi:subscriptionId><xsi:channelId>a61750ee</xsi:channelId><xsi:targetId>agent-001@example.com</xsi:targetId><xsi:eventData xsi1:type="xsi:HotelingGuestEvent"><!-- a > in a comment --><xsi:info note="a > b" ><xsi:active>true</xsi:active><xsi:hostUserId>desk-101@example.com</xsi:hostUserId><xsi:hostLastName>Müller 中</xsi:hostLastName><xsi:hostFirstName><![CDATA[<101>]]></xsi:hostFirstName></xsi:info></xsi:eventData></xsi:Event>`;
const CFA_EVENT = `<xsi:Event xmlns:xsi="http://schema.broadsoft.com/xsi" xmlns:xsi1="http://www.w3.org/2001/XMLSchema-instance" xsi1:type="xsi:SubscriptionEvent"><xsi:eventID>e3</xsi:eventID><xsi:sequenceNumber>1</xsi:sequenceNumber><xsi:userId>admin@example.com</xsi:userId><xsi:subscriptionId>s3</xsi:subscriptionId><xsi:channelId>a61750ee</xsi:channelId><xsi:targetId>desk-101@example.com</xsi:targetId><xsi:eventData xsi1:type="xsi:CallForwardingAlwaysEvent"><xsi:info><xsi:active>true</xsi:active><xsi:forwardToPhoneNumber>tel:1020</xsi:forwardToPhoneNumber></xsi:info></xsi:eventData></xsi:Event>`;
const TERMINATED =
  '<?xml version="1.0" encoding="UTF-8"?>\n<xsi:Event xmlns:xsi="http://schema.broadsoft.com/xsi" xmlns:xsi1="http://www.w3.org/2001/XMLSchema-instance" xsi1:type="xsi:ChannelTerminatedEvent">\n  <xsi:channelId>726bfd81-799c-473a-9e32-ed7063ef0b2f</xsi:channelId>\n  <xsi:reason>ExplicitDelete</xsi:reason>\n</xsi:Event>';

const DOCUMENTS = [CHANNEL, HEARTBEAT, AGENT_EVENT, HEARTBEAT, GUEST_EVENT, CFA_EVENT, TERMINATED];
const BURST = DOCUMENTS.join('\r\n');

function feedAll(chunks: string[], state: DocumentSplitterState = createDocumentSplitter()): { documents: string[]; errors: string[]; state: DocumentSplitterState } {
  const documents: string[] = [];
  const errors: string[] = [];
  for (const chunk of chunks) {
    const r = feedDocuments(state, chunk);
    state = r.state;
    documents.push(...r.documents);
    if (r.error !== undefined) errors.push(r.error);
  }
  return { documents, errors, state };
}

describe('document splitter', () => {
  it('splits a whole burst into its documents', () => {
    const r = feedAll([BURST]);
    expect(r.errors).toEqual([]);
    expect(r.documents).toEqual(DOCUMENTS);
    expect(r.state.pending).toBe('');
    expect(r.documents.map((d) => decodeStreamDocument(d).kind)).toEqual(['channel', 'heartbeat', 'event', 'heartbeat', 'event', 'event', 'channelTerminated']);
  });

  it('gives the same documents when the UTF-8 stream is split at every byte position', () => {
    const bytes = new TextEncoder().encode(BURST);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const decoder = new TextDecoder('utf-8');
      const chunks = [decoder.decode(bytes.subarray(0, cut), { stream: true }), decoder.decode(bytes.subarray(cut), { stream: true }), decoder.decode()];
      const r = feedAll(chunks);
      expect(r.errors, `cut at byte ${cut}`).toEqual([]);
      expect(r.documents, `cut at byte ${cut}`).toEqual(DOCUMENTS);
    }
  });

  it('gives the same documents fed one byte at a time', () => {
    const bytes = new TextEncoder().encode(BURST);
    const decoder = new TextDecoder('utf-8');
    const chunks = Array.from(bytes, (_, i) => decoder.decode(bytes.subarray(i, i + 1), { stream: true }));
    expect(feedAll(chunks).documents).toEqual(DOCUMENTS);
  });

  test.prop([fc.array(fc.integer({ min: 0, max: BURST.length }), { maxLength: 30 })], { numRuns: 200 })(
    'random chunking yields the same documents',
    (cuts) => {
      const points = [...new Set(cuts)].sort((a, b) => a - b);
      const chunks = [0, ...points].map((p, i) => BURST.slice(p, points[i] ?? BURST.length));
      const r = feedAll(chunks);
      expect(r.errors).toEqual([]);
      expect(r.documents).toEqual(DOCUMENTS);
    },
  );

  it('keeps an unfinished document pending without emitting it', () => {
    const r = feedAll([HEARTBEAT, CHANNEL.slice(0, 50)]);
    expect(r.documents).toEqual([HEARTBEAT]);
    expect(r.state.pending).toBe(CHANNEL.slice(0, 50));
  });

  it('refuses a document larger than the limit (default 1 MiB), even when it arrives in pieces', () => {
    const huge = `<a>${'x'.repeat(2 * 1024 * 1024)}</a>`;
    const whole = feedDocuments(createDocumentSplitter(), huge);
    expect(whole.error).toMatch(/larger than 1048576 characters/);
    const pieces = feedAll(huge.match(/[\s\S]{1,65536}/g) ?? []);
    expect(pieces.errors[0]).toMatch(/larger than 1048576 characters/);
    const small = feedDocuments(createDocumentSplitter({ maxDocumentChars: 100 }), HEARTBEAT + CHANNEL);
    expect(small.documents).toEqual([HEARTBEAT]);
    expect(small.error).toMatch(/larger than 100 characters/);
  });

  it('refuses text outside documents, DOCTYPEs and stray end tags, and the error is sticky', () => {
    const text = feedDocuments(createDocumentSplitter(), `${HEARTBEAT}b5\r\n${HEARTBEAT}`);
    expect(text.documents).toEqual([HEARTBEAT]);
    expect(text.error).toMatch(/text outside an XML document: "b5/);
    const again = feedDocuments(text.state, HEARTBEAT);
    expect(again.documents).toEqual([]);
    expect(again.error).toBe(text.error);

    expect(feedDocuments(createDocumentSplitter(), '<!DOCTYPE x [<!ENTITY a "b">]><x/>').error).toMatch(/markup declarations are not allowed/);
    expect(feedDocuments(createDocumentSplitter(), '</x>').error).toMatch(/end tag without a matching start tag/);
    expect(feedDocuments(createDocumentSplitter(), '< x/>').error).toMatch(/malformed markup/);
  });

  it('does not mutate the state it is given', () => {
    const s0 = createDocumentSplitter();
    const s1 = feedDocuments(s0, CHANNEL.slice(0, 60)).state;
    const copy = JSON.stringify(s1);
    feedDocuments(s1, CHANNEL.slice(60));
    expect(JSON.stringify(s1)).toBe(copy);
    expect(s0.pending).toBe('');
  });
});

describe('feedDocuments: markup that looks like an end but is not', () => {
  const split = (text: string) => feedDocuments(createDocumentSplitter(), text);

  it('> inside attribute values (either quote), PIs, comments and CDATA does not end anything', () => {
    const docs = [
      `<a k="x>y" j='p>"q'><b/></a>`,
      '<?xml version="1.0"?><a><?pi a>b ? > c?><b/></a>',
      '<a><!-- a > b -- > - -> --><b/></a>',
      '<a><![CDATA[ x > ]] > ]> ]]><b/></a>',
      `<a k='/'><b k="/"/></a>`,
    ];
    for (const d of docs) expect(split(d)).toMatchObject({ documents: [d] });
    expect(split(docs.join('\n'))).toMatchObject({ documents: docs });
  });

  it('a self-closing root is a whole document; a self-closing child is not', () => {
    expect(split('<a/><b/>')).toMatchObject({ documents: ['<a/>', '<b/>'] });
    const r = split('<a><b/>');
    expect(r.documents).toEqual([]);
    expect(r.state).toMatchObject({ pending: '<a><b/>', depth: 1, mode: 'text' });
  });

  it.each<[string, string]>([
    ['< a/>', 'malformed markup "< "'],
    ['<>', 'malformed markup "<>"'],
    ['<<a/>', 'malformed markup "<<"'],
    ['<!ELEMENT a>', 'XML markup declarations are not allowed ("<!E")'],
    ['<!-x', 'XML markup declarations are not allowed ("<!-x")'],
    ['<![CDATA x', 'XML markup declarations are not allowed ("<![CDATA ")'],
    ['</a>', 'end tag without a matching start tag'],
    ['x<a/>', 'text outside an XML document: "x<a/>"'],
  ])('%s → %s', (text, error) => {
    expect(split(text)).toMatchObject({ error, documents: [] });
  });

  it('text between elements of one document is fine; only text between documents is not', () => {
    expect(split('<a>t<b>u</b>v</a>\n')).toMatchObject({ documents: ['<a>t<b>u</b>v</a>'] });
    expect(split('<a/> \r\n\t<b/>')).toMatchObject({ documents: ['<a/>', '<b/>'] });
  });

  it('the size limit is on one document: exactly the limit passes, one more fails, pending included', () => {
    const limit = 10;
    const at = (text: string) => feedDocuments(createDocumentSplitter({ maxDocumentChars: limit }), text);
    expect(at('<a>12</a>')).toMatchObject({ documents: ['<a>12</a>'] }); // 9
    expect(at('<a>123</a>')).toMatchObject({ documents: ['<a>123</a>'] }); // 10
    expect(at('<a>1234</a>')).toMatchObject({ error: 'XML document larger than 10 characters' }); // 11
    expect(at('<a>123</a><b>123</b>')).toMatchObject({ documents: ['<a>123</a>', '<b>123</b>'] });
    expect(at('<a>12345678')).toMatchObject({ error: 'XML document larger than 10 characters' }); // 11 pending
    expect(at('<a>1234567').state).toMatchObject({ pending: '<a>1234567' }); // 10 pending
  });

  it('a non-string chunk is an error', () => {
    expect(feedDocuments(createDocumentSplitter(), 42 as unknown as string)).toMatchObject({ error: 'stream chunk is not a string', documents: [] });
  });

  it('> inside a PI, comment or CDATA section before or inside the root does not end the construct', () => {
    for (const d of ['<?pi a>b?><a/>', '<!-- a > b --><a/>', '<a><!-- <b> -- </a> --></a>', '<a><![CDATA[<b> x]]y </a> ]] > ]]></a>']) {
      expect(split(d)).toEqual({ documents: [d], state: expect.objectContaining({ pending: '', depth: 0 }) });
    }
  });

  it('a "/>" inside a quoted attribute value (either quote) does not close the start tag', () => {
    for (const d of [`<a k="/>"/>`, `<a k='/>'/>`, `<a k="'/>" j='"/>'/>`, `<a k="x/>"><b/></a>`]) {
      const r = split(`${d}\n${d}`);
      expect(r.error).toBeUndefined();
      expect(r.documents).toEqual([d, d]);
    }
  });

  it('a byte-order mark or any blank between documents is skipped; after "<" it is malformed', () => {
    expect(split('\uFEFF<a/>\t<b/>\uFEFF\r\n <c/>')).toMatchObject({ documents: ['<a/>', '<b/>', '<c/>'] });
    expect(split('<\uFEFFa/>')).toMatchObject({ error: 'malformed markup "<\uFEFF"', documents: [] });
    expect(split('<\ta/>')).toMatchObject({ error: 'malformed markup "<\t"', documents: [] });
  });
});

describe('feedDocuments: the state between chunks', () => {
  it('a fresh splitter is the empty state with the default or given limit', () => {
    expect(createDocumentSplitter()).toEqual({ pending: '', mode: 'text', depth: 0, quote: '', recent: '', bang: '', maxDocumentChars: 1048576 });
    expect(createDocumentSplitter({ maxDocumentChars: 7 })).toMatchObject({ pending: '', maxDocumentChars: 7 });
  });

  it('after an error the state is the empty state, keeping its limit and recording the error', () => {
    const r = feedDocuments(createDocumentSplitter({ maxDocumentChars: 100 }), '<a k="x"><b>');
    expect(r.state).toMatchObject({ pending: '<a k="x"><b>', depth: 2 });
    const bad = feedDocuments(r.state, '</b>oops');
    expect(bad.error).toBeUndefined();
    const stray = feedDocuments(bad.state, '</a></a>');
    expect(stray).toEqual({
      documents: ['<a k="x"><b></b>oops</a>'],
      error: 'end tag without a matching start tag',
      state: { pending: '', mode: 'text', depth: 0, quote: '', recent: '', bang: '', maxDocumentChars: 100, failed: 'end tag without a matching start tag' },
    });
  });

  it('records an open attribute quote, and only the last two characters of a PI, comment or CDATA section', () => {
    expect(feedDocuments(createDocumentSplitter(), '<a k="x').state).toMatchObject({ mode: 'startTag', quote: '"', pending: '<a k="x' });
    expect(feedDocuments(createDocumentSplitter(), '<?xml version="1.0"').state).toMatchObject({ mode: 'pi', recent: '0"' });
    expect(feedDocuments(createDocumentSplitter(), '<a><!-- abc').state).toMatchObject({ mode: 'comment', recent: 'bc' });
    expect(feedDocuments(createDocumentSplitter(), '<a><![CDATA[xyz').state).toMatchObject({ mode: 'cdata', recent: 'yz' });
  });
});
