/**
 * ECMA-323 editions and their namespaces (reference/csta.md §1).
 *
 * Theory of operation: on input the namespace is ignored (clients vary: default xmlns, prefixes,
 * none at all); it is only remembered so that the answer goes back in the namespace the client
 * used. `editionOf` reads the edition out of a namespace URI, including vendor variants built on
 * an edition (Avaya `…/ed3/priv6` is ed3), so the serializer can leave out what an older edition
 * does not know.
 */

export type CstaEdition = 'ed2' | 'ed3' | 'ed4' | 'ed5' | 'ed6';

export const CSTA_NAMESPACES = {
  ed2: 'http://www.ecma.ch/standards/ecma-323/csta/ed2',
  ed3: 'http://www.ecma-international.org/standards/ecma-323/csta/ed3',
  ed4: 'http://www.ecma-international.org/standards/ecma-323/csta/ed4',
  ed5: 'http://www.ecma-international.org/standards/ecma-323/csta/ed5',
  ed6: 'http://www.ecma-international.org/standards/ecma-323/csta/ed6',
} as const satisfies Record<CstaEdition, string>;

/** What we answer in when the client gave us nothing to echo. */
export const DEFAULT_CSTA_NAMESPACE: string = CSTA_NAMESPACES.ed6;

/** ECMA-354 application sessions live in their own namespace, whatever the CSTA edition. */
export const ECMA354_NAMESPACE = 'http://www.ecma-international.org/standards/ecma-354/appl_session';

const EDITION_IN_URI = /\/ecma-323\/csta\/(ed[2-6])(?:\/|$)/;

/** The ECMA-323 edition a namespace URI belongs to, or undefined for anything else ('' included). */
export function editionOf(ns: string): CstaEdition | undefined {
  const match = EDITION_IN_URI.exec(ns);
  return match ? (match[1] as CstaEdition) : undefined;
}

/**
 * The plain ECMA-323 namespace of a protocol version: `…/ed3/priv7` (Avaya DMCC) → `…/ed3`.
 * A vendor `privX` names a protocol version, not a namespace for CSTA elements (interop.md), so
 * messages with no request to echo (unsolicited SystemStatus) use this. Anything that names no
 * edition is returned unchanged.
 */
export function editionNamespace(version: string): string {
  const match = EDITION_IN_URI.exec(version);
  return match ? version.slice(0, match.index + match[0].length).replace(/\/$/, '') : version;
}

/** True when `ns` names an edition older than ed6, i.e. elements and values added in ed6 must be left out. */
export function isBeforeEd6(ns: string): boolean {
  const edition = editionOf(ns);
  return edition !== undefined && edition !== 'ed6';
}
