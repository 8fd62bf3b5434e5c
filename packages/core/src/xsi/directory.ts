/**
 * BroadWorks Group / Enterprise directories on the wire: the search as URL query parameters and
 * the paged answer document (XSD `Group` / `Enterprise`, reference/xsi.md §7 Directory/XSIDirectories.xsd).
 *
 * Theory of operation
 * - Request: `GET …/user/<id>/directories/<Name>?<search>` (the user's own view) or, for a group
 *   admin, `GET …/group/<groupId>/directories/<Name>?serviceProviderId=<sp>&<search>`. Search
 *   parameters: `userId`, `firstName`, `lastName`, `number`, `extension`, `emailAddress` (values
 *   keep their `*` wildcards and trailing `/i`), `searchCriteriaModeOr=true`, `start` (1-based),
 *   `results` (page size). Values are percent-encoded; `*` and `/` stay readable.
 * - Server side, `parseDirectoryQuery` reads a query string as a servlet does (`+` is a space,
 *   the first of a repeated parameter wins, unknown parameters are ignored — reference §1.2) and
 *   names the parameter that is malformed. `numberOfRecords` is taken as `results` when that is
 *   absent: some clients send it for the page size.
 * - Answer: `<Group|Enterprise>` with `startIndex`, `numberOfRecords`, `totalAvailableRecords`,
 *   then `groupDirectory|enterpriseDirectory` of `directoryDetails` — XSD type
 *   UserAdditionalEnterpriseGroupDetails: `userId`, `firstName`, `lastName`, `groupId`,
 *   (`serviceProvider`), `number`, `extension`, then `additionalDetails` (`emailAddress`, …).
 *   The decoder is lenient (unknown elements skipped, absent counts derived) but needs a
 *   `userId` in every entry: an entry without one cannot be used to resolve anything.
 */
import type { DirectoryEntry, DirectoryName, DirectoryQuery } from './types.js';
import { XML_DECLARATION, XSI_NAMESPACE, child, isCodecError, parseInteger, parseXmlDocument, simpleText, textElement, type XmlElement, type XsiCodecError } from './xml.js';

export const DIRECTORY_NAMES: readonly DirectoryName[] = ['Group', 'Enterprise'];

/** The search criteria, in the order they are sent. */
export const DIRECTORY_SEARCH_FIELDS = ['userId', 'firstName', 'lastName', 'number', 'extension', 'emailAddress'] as const;

const MAX_INT = 2_147_483_647;

/** A paged answer (the `directory` result body without its `kind`). */
export interface DirectoryPageBody {
  directory: DirectoryName;
  entries: DirectoryEntry[];
  startIndex: number;
  total: number;
}

const LIST_OF: Readonly<Record<DirectoryName, string>> = { Group: 'groupDirectory', Enterprise: 'enterpriseDirectory' };

// ---------------------------------------------------------------------------------------------
// The query

/** Why a query cannot be sent, or undefined. */
export function checkDirectoryQuery(query: DirectoryQuery): string | undefined {
  if (typeof query !== 'object' || query === null) return 'the query must be an object';
  for (const f of DIRECTORY_SEARCH_FIELDS) {
    const v = query[f];
    if (v !== undefined && (typeof v !== 'string' || v === '' || v === '/i')) return `search value of ${f} must be a non-empty string`;
    if (v !== undefined && v.length > 256) return `search value of ${f} is longer than 256 characters`;
  }
  for (const f of ['start', 'results'] as const) {
    const v = query[f];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_INT)) return `${f} must be a positive integer, got ${String(v)}`;
  }
  if (query.anyCriterion !== undefined && typeof query.anyCriterion !== 'boolean') return 'anyCriterion must be a boolean';
  return undefined;
}

const encodeValue = (v: string): string => encodeURIComponent(v).replace(/%2F/gi, '/');

/** The search as `a=b&c=d` (no leading `?`; empty for no criterion). */
export function directoryQueryString(query: DirectoryQuery): string {
  const parts: string[] = [];
  for (const f of DIRECTORY_SEARCH_FIELDS) {
    const v = query[f];
    if (v !== undefined) parts.push(`${f}=${encodeValue(v)}`);
  }
  if (query.anyCriterion === true) parts.push('searchCriteriaModeOr=true');
  if (query.start !== undefined) parts.push(`start=${query.start}`);
  if (query.results !== undefined) parts.push(`results=${query.results}`);
  return parts.join('&');
}

/** The method and path of a `GET directory` command (base path without a trailing `/`). */
export function directoryRequestPath(
  cmd: { userId: string; directory: DirectoryName; query: DirectoryQuery; group?: { serviceProviderId: string; groupId: string } },
  actionsBasePath: string,
): string | XsiCodecError {
  if (!DIRECTORY_NAMES.includes(cmd.directory)) return { error: `GET directory: unknown directory "${String(cmd.directory)}" (Group or Enterprise)` };
  const bad = checkDirectoryQuery(cmd.query);
  if (bad !== undefined) return { error: `GET directory: ${bad}` };
  const search = directoryQueryString(cmd.query);
  if (cmd.group !== undefined) {
    const { serviceProviderId, groupId } = cmd.group;
    if (typeof groupId !== 'string' || groupId === '' || typeof serviceProviderId !== 'string' || serviceProviderId === '') {
      return { error: 'GET directory: group needs a serviceProviderId and a groupId' };
    }
    const query = [`serviceProviderId=${encodeURIComponent(serviceProviderId)}`, ...(search === '' ? [] : [search])].join('&');
    return `${actionsBasePath}/group/${encodeURIComponent(groupId)}/directories/${cmd.directory}?${query}`;
  }
  return `${actionsBasePath}/user/${encodeURIComponent(cmd.userId)}/directories/${cmd.directory}${search === '' ? '' : `?${search}`}`;
}

function decodeParam(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * Query parameters (`a=b&c=d`, a leading `?` allowed) → the first value of each name. A name or
 * value that is not valid percent-encoding is reported under the name as far as it can be read.
 */
export function queryParameters(queryString: string): Map<string, string> | XsiCodecError {
  const params = new Map<string, string>();
  const q = queryString.startsWith('?') ? queryString.slice(1) : queryString;
  if (q === '') return params;
  for (const pair of q.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const name = decodeParam(rawName);
    const value = decodeParam(eq < 0 ? '' : pair.slice(eq + 1));
    if (name === undefined || value === undefined) return { error: `query parameter ${name ?? rawName}: malformed percent-encoding` };
    if (!params.has(name)) params.set(name, value);
  }
  return params;
}

/** Server side: a query string → the search; see the header for the reading rules. */
export function parseDirectoryQuery(queryString: string): DirectoryQuery | XsiCodecError {
  const params = queryParameters(queryString);
  if (isCodecError(params)) return params;
  const query: DirectoryQuery = {};
  for (const f of DIRECTORY_SEARCH_FIELDS) {
    const v = params.get(f);
    if (v === undefined) continue;
    if (v === '' || v === '/i') return { error: `query parameter ${f}: the search value is empty` };
    if (v.length > 256) return { error: `query parameter ${f}: longer than 256 characters` };
    query[f] = v;
  }
  const mode = params.get('searchCriteriaModeOr');
  if (mode !== undefined) {
    const m = mode.trim().toLowerCase();
    if (m !== 'true' && m !== 'false') return { error: `query parameter searchCriteriaModeOr: expected true or false, got "${mode}"` };
    if (m === 'true') query.anyCriterion = true;
  }
  for (const [name, key] of [['start', 'start'], ['results', 'results'], ['numberOfRecords', 'results']] as const) {
    const v = params.get(name);
    if (v === undefined || query[key] !== undefined) continue;
    if (!/^[0-9]{1,10}$/.test(v.trim()) || Number(v) < 1 || Number(v) > MAX_INT) return { error: `query parameter ${name}: expected a positive integer, got "${v}"` };
    query[key] = Number(v);
  }
  return query;
}

// ---------------------------------------------------------------------------------------------
// The answer document

function entryXml(e: DirectoryEntry): string {
  let xml = textElement('userId', e.userId);
  for (const f of ['firstName', 'lastName', 'groupId', 'number', 'extension'] as const) {
    const v = e[f];
    if (v !== undefined) xml += textElement(f, v);
  }
  if (e.emailAddress !== undefined) xml += `<additionalDetails>${textElement('emailAddress', e.emailAddress)}</additionalDetails>`;
  return `<directoryDetails>${xml}</directoryDetails>`;
}

export function encodeDirectory(page: DirectoryPageBody): string {
  const list = LIST_OF[page.directory];
  return (
    `${XML_DECLARATION}<${page.directory} xmlns="${XSI_NAMESPACE}">` +
    textElement('startIndex', page.startIndex) +
    textElement('numberOfRecords', page.entries.length) +
    textElement('totalAvailableRecords', page.total) +
    `<${list}>${page.entries.map(entryXml).join('')}</${list}></${page.directory}>`
  );
}

function readEntry(el: XmlElement): DirectoryEntry | XsiCodecError {
  const id = child(el, 'userId');
  const userId = id === undefined ? undefined : simpleText(id);
  if (isCodecError(userId)) return userId;
  if (userId === undefined || userId === '') return { error: '<directoryDetails> without <userId>' };
  const entry: DirectoryEntry = { userId };
  for (const f of ['firstName', 'lastName', 'groupId', 'number', 'extension'] as const) {
    const c = child(el, f);
    if (c === undefined) continue;
    const t = simpleText(c);
    if (isCodecError(t)) return t;
    if (t !== '') entry[f] = t;
  }
  const more = child(el, 'additionalDetails');
  const email = more === undefined ? undefined : child(more, 'emailAddress');
  if (email !== undefined) {
    const t = simpleText(email);
    if (isCodecError(t)) return t;
    if (t !== '') entry.emailAddress = t;
  }
  return entry;
}

/** The page inside a parsed `<Group>` / `<Enterprise>` root. */
export function readDirectory(root: XmlElement, directory: DirectoryName): DirectoryPageBody | XsiCodecError {
  if (root.local !== directory) return { error: `expected <${directory}>, got <${root.local}>` };
  const entries: DirectoryEntry[] = [];
  for (const c of child(root, LIST_OF[directory])?.children ?? []) {
    if (c.local !== 'directoryDetails') continue;
    const e = readEntry(c);
    if (isCodecError(e)) return e;
    entries.push(e);
  }
  const number = (name: string, min: number, fallback: number): number | XsiCodecError => {
    const c = child(root, name);
    return c === undefined ? fallback : parseInteger(c, min, MAX_INT);
  };
  const startIndex = number('startIndex', 1, 1);
  if (isCodecError(startIndex)) return startIndex;
  const total = number('totalAvailableRecords', 0, startIndex - 1 + entries.length);
  if (isCodecError(total)) return total;
  return { directory, entries, startIndex, total };
}

export function decodeDirectory(xml: string, directory: DirectoryName): DirectoryPageBody | XsiCodecError {
  const root = parseXmlDocument(xml);
  return isCodecError(root) ? root : readDirectory(root, directory);
}
