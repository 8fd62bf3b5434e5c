/**
 * BroadWorks directory search (`GET …/directories/Group|Enterprise`): the users a directory lists,
 * filtered by the search criteria and cut into one page. Pure read: the state is not changed.
 *
 * Theory of operation
 * 1. Who may look: a user through its own id (or the group admin through any user's id), or the
 *    group admin at group level (`/group/<groupId>/directories/…`). The simulator has one group in
 *    one enterprise, so Group and Enterprise list the same users; the admin is not a user.
 * 2. Each criterion (`userId`, `firstName`, `lastName`, `number`, `extension`, `emailAddress`)
 *    matches the WHOLE field value; `*` stands for any run of characters; a trailing `/i` makes
 *    the match case-insensitive. A field the user does not have never matches, not even `*`.
 * 3. All criteria must match, or any one with `anyCriterion` (`searchCriteriaModeOr=true`).
 * 4. Matches are sorted by last name, first name, user id (code-unit order: the same bytes every
 *    run); `start` (1-based, default 1) and `results` (default and maximum MAX_DIRECTORY_PAGE) cut
 *    the page; `total` counts every match (`totalAvailableRecords`).
 */
import { DIRECTORY_NAMES, DIRECTORY_SEARCH_FIELDS, checkDirectoryQuery, type DirectoryEntry, type DirectoryName, type DirectoryQuery } from '@csta-bw/core';
import { xspError, type XspErrorOutcome } from './errors.js';
import type { UserRecord, XspState } from './state.js';

/** The largest page a search answers (a bigger `results` is cut to it). */
export const MAX_DIRECTORY_PAGE = 1000;

/** The search criteria, in the order BroadWorks documents them (shared with the wire codec). */
export const SEARCH_FIELDS = DIRECTORY_SEARCH_FIELDS;
export type SearchField = (typeof SEARCH_FIELDS)[number];

export interface DirectoryPage {
  directory: DirectoryName;
  entries: DirectoryEntry[];
  startIndex: number;
  total: number;
}

/** True when `value` matches the BroadWorks search value `pattern` (rule 2). */
export function matchesSearchValue(value: string | undefined, pattern: string): boolean {
  if (value === undefined) return false;
  const insensitive = pattern.endsWith('/i');
  const body = insensitive ? pattern.slice(0, -2) : pattern;
  const source = body
    .split('*')
    .map((part) => part.replace(/[\\^$.|?+()[\]{}]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, insensitive ? 'is' : 's').test(value);
}

/** One user as the Group/Enterprise directory shows it. */
export function directoryEntry(s: XspState, u: UserRecord): DirectoryEntry {
  const e: DirectoryEntry = { userId: u.userId, firstName: u.firstName, lastName: u.lastName };
  if (u.number !== undefined) e.number = u.number;
  if (u.extension !== undefined) e.extension = u.extension;
  e.groupId = s.groupId;
  const email = (u as { emailAddress?: unknown }).emailAddress; // provisioned only by some directories
  if (typeof email === 'string') e.emailAddress = email;
  return e;
}

/** The query's shape, checked: the model is also driven by plain data from tests and the explorer. */
function checkQuery(query: unknown): string | undefined {
  if (typeof query !== 'object' || query === null) return 'the query must be an object';
  const known: readonly string[] = [...SEARCH_FIELDS, 'anyCriterion', 'start', 'results'];
  const unknown = Object.keys(query).find((k) => !known.includes(k) && (query as Record<string, unknown>)[k] !== undefined);
  if (unknown !== undefined) return `unknown search criterion "${unknown}"`;
  return checkDirectoryQuery(query as DirectoryQuery);
}

/** Rules 2–4 over the users of the state. */
export function searchUsers(s: XspState, directory: DirectoryName, query: DirectoryQuery): DirectoryPage | XspErrorOutcome {
  if (!DIRECTORY_NAMES.includes(directory)) return xspError('SCHEMA_VIOLATION', `unknown directory "${String(directory)}" (Group or Enterprise)`);
  const bad = checkQuery(query);
  if (bad !== undefined) return xspError('SCHEMA_VIOLATION', bad);
  const criteria = SEARCH_FIELDS.flatMap((f) => (query[f] !== undefined ? [[f, query[f]] as const] : []));
  const all = Object.values(s.users).map((u) => directoryEntry(s, u));
  const matches = all.filter((e) => {
    if (criteria.length === 0) return true;
    const hit = ([f, pattern]: readonly [SearchField, string]) => matchesSearchValue(e[f], pattern);
    return query.anyCriterion === true ? criteria.some(hit) : criteria.every(hit);
  });
  matches.sort((a, b) => compare(a.lastName, b.lastName) || compare(a.firstName, b.firstName) || compare(a.userId, b.userId));
  const startIndex = query.start ?? 1;
  const size = Math.min(query.results ?? MAX_DIRECTORY_PAGE, MAX_DIRECTORY_PAGE);
  return { directory, entries: matches.slice(startIndex - 1, startIndex - 1 + size), startIndex, total: matches.length };
}

function compare(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Rule 1, then the search. `userId` is the user whose view is searched, or — with `group` — the
 * requester, who must be the group admin.
 */
export function searchDirectory(
  s: XspState,
  asUser: string,
  cmd: { userId: string; directory: DirectoryName; query: DirectoryQuery; group?: { serviceProviderId: string; groupId: string } },
): DirectoryPage | XspErrorOutcome {
  if (cmd.group !== undefined) {
    if (asUser !== s.adminUserId || cmd.userId !== asUser) return xspError('OUT_OF_SCOPE', `group ${String(cmd.group.groupId)} (group admin only)`);
    if (cmd.group.groupId !== s.groupId || cmd.group.serviceProviderId !== s.serviceProviderId) {
      return xspError('GROUP_NOT_FOUND', `${String(cmd.group.serviceProviderId)}/${String(cmd.group.groupId)}`);
    }
    return searchUsers(s, cmd.directory, cmd.query);
  }
  if (asUser !== cmd.userId && asUser !== s.adminUserId) return xspError('OUT_OF_SCOPE', cmd.userId);
  if (!Object.hasOwn(s.users, cmd.userId)) return xspError('UNKNOWN_USER', cmd.userId);
  return searchUsers(s, cmd.directory, cmd.query);
}
