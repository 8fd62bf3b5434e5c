/**
 * The ECMA-323 CSTA codec: one import for everything that turns CSTA XML into the plain data of
 * types.ts and back. The work is split by direction:
 *   - decode.ts        a client's request → CstaRequest (server side)
 *   - encode.ts        CstaResponse / CstaEvent / CstaError / SystemStatus → XML (and requests, for test clients)
 *   - decode-reply.ts  responses, events, errors → data (client side: scripts, tests)
 *   - namespaces.ts    editions and namespace URIs
 * underneath: xml.ts (guarded parse, escaping) and fields.ts (typed field readers).
 * Framing for TCP lives apart, in framing.ts.
 */
export { decodeCstaMessage, isCstaReplyName } from './decode.js';
export type { CstaDecodeResult } from './decode.js';
export { decodeCstaErrorCode, decodeCstaResponseOrEvent } from './decode-reply.js';
export type { CstaInbound, CstaInboundDecodeResult } from './decode-reply.js';
export {
  XML_DECLARATION, encodeApplicationSessionTerminated, encodeCstaError, encodeCstaEvent, encodeCstaRequest, encodeCstaResponse, encodeSystemStatus,
} from './encode.js';
export { CSTA_NAMESPACES, DEFAULT_CSTA_NAMESPACE, ECMA354_NAMESPACE, editionNamespace, editionOf, isBeforeEd6 } from './namespaces.js';
export { decodeDocumentBytes } from './encoding.js';
export type { DecodedDocument, DocumentEncoding } from './encoding.js';
export type { CstaEdition } from './namespaces.js';
export { MAX_XML_BYTES, MAX_XML_DEPTH } from './xml.js';
