/**
 * The group's Call Center agent unavailable codes on the wire (reference/xsi.md §2):
 * `GET /v2.0/group/<groupId>/services/CallCenter/UnavailableCodes?serviceProviderId=<sp>` (or
 * `?enterpriseId=<ent>`; when both are given, enterpriseId wins) answers `ACDAgentUnavailableCodes`.
 *
 * Theory of operation
 * - `parseUnavailableCodesPath` recognises the path (fixed words case-insensitive, ids as sent,
 *   URL-decoded); `undefined` means "not this resource", so a router can try its other routes.
 * - The document is written in XSD order: enableAgentUnavailableCodes, the three optional
 *   defaults, forceUseOfAgentUnavailableCodes, unavailableCodes (each unavailableCodeDetail with
 *   its `isDefault` attribute, then active, code, description). Reading is lenient about unknown
 *   elements, strict about the ones it reads.
 */
import type { ActionsPathError } from './actions.js';
import {
  XML_DECLARATION,
  XSI_NAMESPACE,
  child,
  escapeAttribute,
  isCodecError,
  parseBoolean,
  parseNonEmpty,
  parseXmlDocument,
  textElement,
  type XmlElement,
  type XsiCodecError,
} from './xml.js';

/** One code of the list (XSD `unavailableCodeDetail`). */
export interface UnavailableCodeDetail {
  code: string;
  description: string;
  active: boolean;
  isDefault?: boolean;
}

/** `ACDAgentUnavailableCodes`. */
export interface AgentUnavailableCodes {
  enableAgentUnavailableCodes: boolean;
  defaultAgentUnavailableCodeOnDND?: string;
  defaultAgentUnavailableCodeOnPersonalCalls?: string;
  defaultAgentUnavailableCodeOnConsecutiveBounces?: string;
  forceUseOfAgentUnavailableCodes: boolean;
  codes: UnavailableCodeDetail[];
}

export interface UnavailableCodesPath {
  groupId: string;
  /** From the query; exactly as sent. Absent = not given. */
  serviceProviderId?: string;
  enterpriseId?: string;
}

/** The resource at `path`, a 405/400 for it, or undefined when the path is another resource. */
export function parseUnavailableCodesPath(method: string, path: string): UnavailableCodesPath | ActionsPathError | undefined {
  if (typeof path !== 'string') return undefined;
  const [pathPart, query = ''] = path.split('#')[0]!.split('?', 2) as [string, string?];
  const segments = pathPart.split('/').slice(1);
  if (segments.length > 0 && segments[segments.length - 1] === '') segments.pop();
  const w = segments.map((x) => x.toLowerCase());
  const shape = ['com.broadsoft.xsi-actions', 'v2.0', 'group', undefined, 'services', 'callcenter', 'unavailablecodes'];
  if (w.length !== shape.length || shape.some((word, i) => word !== undefined && w[i] !== word)) return undefined;
  let groupId: string;
  try {
    groupId = decodeURIComponent(segments[3]!);
  } catch {
    return { error: `malformed URL encoding in group id "${segments[3]}"`, status: 400 };
  }
  if (groupId === '' || groupId.includes('/')) return { error: `bad group id "${groupId}"`, status: 400 };
  if (typeof method !== 'string' || method.toUpperCase() !== 'GET') {
    return { error: `method ${String(method)} not allowed on UnavailableCodes (allowed: GET)`, status: 405 };
  }
  const out: UnavailableCodesPath = { groupId };
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    let value: string;
    try {
      value = decodeURIComponent((eq < 0 ? '' : pair.slice(eq + 1)).replace(/\+/g, ' '));
    } catch {
      return { error: `malformed URL encoding in query parameter ${key}`, status: 400 };
    }
    // Repeated single-valued parameters: the first wins (reference/xsi.md §1.2).
    if (key === 'serviceProviderId' && out.serviceProviderId === undefined) out.serviceProviderId = value;
    if (key === 'enterpriseId' && out.enterpriseId === undefined) out.enterpriseId = value;
  }
  return out;
}

export function encodeUnavailableCodes(list: AgentUnavailableCodes): string {
  let body = textElement('enableAgentUnavailableCodes', list.enableAgentUnavailableCodes);
  for (const name of ['defaultAgentUnavailableCodeOnDND', 'defaultAgentUnavailableCodeOnPersonalCalls', 'defaultAgentUnavailableCodeOnConsecutiveBounces'] as const) {
    const v = list[name];
    if (v !== undefined) body += textElement(name, v);
  }
  body += textElement('forceUseOfAgentUnavailableCodes', list.forceUseOfAgentUnavailableCodes);
  const details = list.codes.map(
    (c) =>
      `<unavailableCodeDetail isDefault="${escapeAttribute(String(c.isDefault === true))}">` +
      textElement('active', c.active) + textElement('code', c.code) + textElement('description', c.description) +
      '</unavailableCodeDetail>',
  );
  body += `<unavailableCodes>${details.join('')}</unavailableCodes>`;
  return `${XML_DECLARATION}<ACDAgentUnavailableCodes xmlns="${XSI_NAMESPACE}">${body}</ACDAgentUnavailableCodes>`;
}

export function decodeUnavailableCodes(xml: string): AgentUnavailableCodes | XsiCodecError {
  const root = parseXmlDocument(xml);
  if (isCodecError(root)) return root;
  if (root.local !== 'ACDAgentUnavailableCodes') return { error: `expected <ACDAgentUnavailableCodes>, got <${root.local}>` };
  const flag = (name: string): boolean | XsiCodecError => {
    const el = child(root, name);
    return el === undefined ? { error: `<ACDAgentUnavailableCodes> without <${name}>` } : parseBoolean(el);
  };
  const enable = flag('enableAgentUnavailableCodes');
  if (isCodecError(enable)) return enable;
  const force = flag('forceUseOfAgentUnavailableCodes');
  if (isCodecError(force)) return force;
  const out: AgentUnavailableCodes = { enableAgentUnavailableCodes: enable, forceUseOfAgentUnavailableCodes: force, codes: [] };
  for (const name of ['defaultAgentUnavailableCodeOnDND', 'defaultAgentUnavailableCodeOnPersonalCalls', 'defaultAgentUnavailableCodeOnConsecutiveBounces'] as const) {
    const el = child(root, name);
    if (el === undefined) continue;
    const v = parseNonEmpty(el, 10);
    if (isCodecError(v)) return v;
    out[name] = v;
  }
  const list = child(root, 'unavailableCodes');
  for (const d of list?.children ?? []) {
    if (d.local !== 'unavailableCodeDetail') continue;
    const detail = readDetail(d);
    if (isCodecError(detail)) return detail;
    out.codes.push(detail);
  }
  return out;
}

function readDetail(d: XmlElement): UnavailableCodeDetail | XsiCodecError {
  const get = (name: string): XmlElement | XsiCodecError => child(d, name) ?? { error: `<unavailableCodeDetail> without <${name}>` };
  const activeEl = get('active');
  const codeEl = get('code');
  const descEl = get('description');
  if (isCodecError(activeEl)) return activeEl;
  if (isCodecError(codeEl)) return codeEl;
  if (isCodecError(descEl)) return descEl;
  const active = parseBoolean(activeEl);
  if (isCodecError(active)) return active;
  const code = parseNonEmpty(codeEl, 10);
  if (isCodecError(code)) return code;
  const description = parseNonEmpty(descEl, 256);
  if (isCodecError(description)) return description;
  const detail: UnavailableCodeDetail = { code, description, active };
  const isDefault = d.attributes.find((a) => a.local === 'isDefault' && a.namespace === undefined)?.value.trim();
  if (isDefault === 'true' || isDefault === '1') detail.isDefault = true;
  return detail;
}
