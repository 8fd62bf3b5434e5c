/**
 * Vendor private data (`extensions/privateData/private`, reference/csta.md §1.1) that changes what
 * a standard request means. `private` holds any foreign XML; we read it by local name, since each
 * vendor has its own namespace and prefix:
 *   - a not-ready reason code on SetAgentState: BroadWorks `AgentNotReadyReasonValue`
 *     (`http://schema.broadsoft.com/CSTAPrivateData`, csta.md §8.4) or Avaya's `reasonCode`;
 *   - Avaya `AvayaEvents/invertFilter` on MonitorStart: the filter's `true` flags are the events
 *     wanted, not the ones suppressed (interop.md "Monitor filters").
 * Anything else in private data is read past. A field that is present but unusable is refused
 * (MalformedCsta), never silently dropped.
 */
import { MalformedCsta, booleanValue, leafText, optionalChild } from './fields.js';
import type { XmlElement } from './xml.js';

const REASON_CODE_NAMES = ['AgentNotReadyReasonValue', 'reasonCode'] as const;

/** The `private` blocks of a message (the schema allows one; we read every one we find). */
function privateBlocks(root: XmlElement): XmlElement[] {
  const extensions = optionalChild(root, 'extensions');
  const privateData = extensions && optionalChild(extensions, 'privateData');
  return privateData ? privateData.children.filter((child) => child.name === 'private') : [];
}

/** Depth-first: the first element anywhere under `element` whose local name is one of `names`. */
function firstDescendant(element: XmlElement, names: readonly string[]): XmlElement | undefined {
  for (const child of element.children) {
    if (names.includes(child.name)) return child;
    const nested = firstDescendant(child, names);
    if (nested !== undefined) return nested;
  }
  return undefined;
}

/** The not-ready reason code a SetAgentState carries in private data, as text; undefined if none. */
export function reasonCodeOf(root: XmlElement): string | undefined {
  for (const block of privateBlocks(root)) {
    const found = firstDescendant(block, REASON_CODE_NAMES);
    if (found === undefined) continue;
    const code = leafText(found);
    if (code === '') throw new MalformedCsta(`private data ${found.name} (reasonCode) is empty`);
    return code;
  }
  return undefined;
}

/** True when a MonitorStart asks (Avaya `AvayaEvents/invertFilter`) for "true = report this". */
export function invertFilterOf(root: XmlElement): boolean {
  for (const block of privateBlocks(root)) {
    const events = firstDescendant(block, ['AvayaEvents']);
    const flag = events && optionalChild(events, 'invertFilter');
    if (flag !== undefined) return booleanValue(flag);
  }
  return false;
}
