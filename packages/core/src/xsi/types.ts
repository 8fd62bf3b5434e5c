/**
 * BroadWorks Xsi as plain data: the commands the connector asks for, the results it gets back,
 * the events the XSP pushes. Nothing here knows about HTTP or XML; `xsi/codec.ts` maps these to
 * the wire (reference/xsi.md §2–§5) and the simulator produces/consumes them directly.
 */

/** `agentACDState`, exact wire spelling (reference/xsi.md §2). */
export type AgentACDState = 'Sign-In' | 'Available' | 'Unavailable' | 'Wrap-Up' | 'Sign-Out';
export const AGENT_ACD_STATES: readonly AgentACDState[] = ['Sign-In', 'Available', 'Unavailable', 'Wrap-Up', 'Sign-Out'];

/** The event packages csta-bw subscribes to (XSD enum `EventPackage`). */
export type EventPackage = 'Call Center Agent' | 'Call Forwarding Always' | 'Hoteling Guest';
export const EVENT_PACKAGES: readonly EventPackage[] = ['Call Center Agent', 'Call Forwarding Always', 'Hoteling Guest'];

/** Every value of the XSD enum `EventPackage` (reference/xsi.md §5.5): what an XSP accepts. */
export const XSI_EVENT_PACKAGES = [
  'Advanced Call', 'Basic Call', 'BroadWorks Anywhere', 'Call Center Agent', 'Call Center Agent Monitoring',
  'Call Center Configuration', 'Call Center Monitoring', 'Call Center Queue', 'Call Forwarding Always',
  'Call Forwarding Always Secondary', 'Call Forwarding Busy', 'Call Forwarding No Answer', 'Call Park',
  'Call Recording', 'Call Transfer', 'Call Waiting', 'Collaborate Room', 'CommPilot Express', 'Do Not Disturb',
  'Flexible Seating Guest', 'Hoteling Guest', 'Last Number Redial', 'Meet Me Conference', 'Music On Hold',
  'N-Way Call', 'Personal Assistant', 'Push Notification Registration', 'Remote Office', 'Route Point Queue',
  'Security Classification', 'Sequential Ring', 'Silent Alerting', 'Simultaneous Ring Personal', 'Standard Call',
  'Third-Party Voice Mail Support', 'Three-Way Call', 'Voice Mail Message Summary', 'Voice Messaging',
] as const;
export type XsiEventPackage = (typeof XSI_EVENT_PACKAGES)[number];

/** `DoNotDisturb` (GET body, event `info`). */
export interface DoNotDisturbInfo {
  active: boolean;
  ringSplash?: boolean;
}

/** `RemoteOffice` (GET body, event `info`). `remoteOfficeNumber` absent = none stored. */
export interface RemoteOfficeInfo {
  active: boolean;
  remoteOfficeNumber?: string;
}

/** XSD `AgentStateInformation`, the parts the simulator models (reference/xsi.md §5.8). */
export interface AgentStateInfo {
  state: AgentACDState;
  /** ms since the Unix epoch of the last state change (required by the XSD; optional here for older payloads). */
  stateTimestamp?: number;
  /** The reason code while Unavailable. */
  unavailableCode?: string;
  /** ms since the Unix epoch of the sign-in; absent while signed out. */
  signInTimestamp?: number;
}

/** One call center an agent belongs to (AgentSubscriptionEvent `joinData/joinInfos/joinInfo`). */
export interface AgentJoinInfo {
  acdUserId: string;
  joined: boolean;
}

/** `CallForwardingAlways` (GET body, event `info`). `forwardToPhoneNumber` absent = none stored. */
export interface ForwardingInfo {
  active: boolean;
  forwardToPhoneNumber?: string;
  ringSplash?: boolean;
}

/** `HotelingGuest` (GET body, event `info`). host* fields are present only while associated. */
export interface HotelingGuestInfo {
  active: boolean;
  enableAssociationLimit?: boolean;
  associationLimitHours?: number;
  hostUserId?: string;
  hostLastName?: string;
  hostFirstName?: string;
  hostAssociationDateTime?: string;
  hostEnforcesAssociationLimit?: boolean;
  hostAssociationLimitHours?: number;
}

/** `HotelingHost` (GET body). guest* fields are present only while a guest is associated. */
export interface HotelingHostInfo {
  active: boolean;
  enforceAssociationLimit?: boolean;
  associationLimitHours?: number;
  accessLevel?: 'Enterprise' | 'Group';
  guestLastName?: string;
  guestFirstName?: string;
  guestPhoneNumber?: string;
  guestExtension?: string;
  guestAssociationDateTime?: string;
}

/** `GET /user/{id}/profile`, the fields csta-bw uses. */
export interface ProfileInfo {
  userId: string;
  firstName?: string;
  lastName?: string;
  number?: string;
  extension?: string;
  groupId?: string;
}

/** The directories a number is looked up in (reference/xsi.md; DESIGN §8 "Numbers"). */
export type DirectoryName = 'Group' | 'Enterprise';

/**
 * A BroadWorks directory search (query parameters of `GET …/directories/<name>`): each field is
 * a search value (`*` wildcards, a trailing `/i` for case-insensitive); `start` is 1-based and
 * `results` the page size. Absent = no criterion.
 */
export interface DirectoryQuery {
  userId?: string;
  firstName?: string;
  lastName?: string;
  number?: string;
  extension?: string;
  emailAddress?: string;
  /** All criteria must match unless this is true (`searchCriteriaModeOr`). */
  anyCriterion?: boolean;
  start?: number;
  results?: number;
}

/** One user as a Group/Enterprise directory lists it. */
export interface DirectoryEntry {
  userId: string;
  firstName?: string;
  lastName?: string;
  number?: string;
  extension?: string;
  groupId?: string;
  emailAddress?: string;
}

/**
 * A command for the XSP. `op` is also the trace's `msg` (DESIGN §7). PUT bodies are partial
 * updates (reference/xsi.md §1.6): absent = unchanged, `null` = xsi:nil (clear).
 */
export type XsiCommand =
  /** `agentUnavailableCode`: the reason for Unavailable (XSD token 1..10 chars); null clears it. */
  | { op: 'PUT CallCenter'; userId: string; body: { agentACDState: AgentACDState; agentUnavailableCode?: string | null } }
  | { op: 'PUT CallForwardingAlways'; userId: string; body: { active: boolean; forwardToPhoneNumber?: string | null } }
  | { op: 'PUT HotelingGuest'; userId: string; body: { hostUserId: string | null; active?: boolean } }
  | { op: 'PUT HotelingHost'; userId: string; body: { removeGuestAssociation?: boolean; active?: boolean } }
  | { op: 'GET CallCenter'; userId: string }
  | { op: 'GET CallForwardingAlways'; userId: string }
  | { op: 'GET HotelingGuest'; userId: string }
  | { op: 'GET HotelingHost'; userId: string }
  | { op: 'GET profile'; userId: string }
  | { op: 'PUT DoNotDisturb'; userId: string; body: { active?: boolean; ringSplash?: boolean } }
  | { op: 'GET DoNotDisturb'; userId: string }
  | { op: 'PUT RemoteOffice'; userId: string; body: { active?: boolean; remoteOfficeNumber?: string | null } }
  | { op: 'GET RemoteOffice'; userId: string }
  /**
   * Subscribe the user target to the packages (one subscription per package on the wire). With
   * `group`, the target is that whole group (no initial events) and `userId` is the subscriber:
   * the only way to see HotelingGuest changes of guests we do not hold yet.
   */
  | { op: 'SUBSCRIBE'; userId: string; packages: EventPackage[]; group?: { serviceProviderId: string; groupId: string } }
  /**
   * Search a directory. Without `group`, it is `userId`'s own view (`/user/<userId>/directories/…`);
   * with `group`, the group-level path and `userId` is the requester (the admin): how the
   * connector learns the number plan before it knows any user.
   */
  | { op: 'GET directory'; userId: string; directory: DirectoryName; query: DirectoryQuery; group?: { serviceProviderId: string; groupId: string } };

export type XsiOp = XsiCommand['op'];

/** `ErrorInfo` (reference/xsi.md §1.7). */
export interface ErrorInfo {
  summary?: string;
  summaryEnglish: string;
  errorCode: number;
}

/** A decoded response body. */
export type XsiResultBody =
  | { kind: 'CallCenter'; agentACDState: AgentACDState; agentUnavailableCode?: string }
  | { kind: 'CallForwardingAlways'; info: ForwardingInfo }
  | { kind: 'HotelingGuest'; info: HotelingGuestInfo }
  | { kind: 'HotelingHost'; info: HotelingHostInfo }
  | { kind: 'profile'; info: ProfileInfo }
  | { kind: 'DoNotDisturb'; info: DoNotDisturbInfo }
  | { kind: 'RemoteOffice'; info: RemoteOfficeInfo }
  | { kind: 'Subscriptions'; subscriptionIds: string[] }
  /** A directory page: `startIndex` is 1-based; `total` is `totalAvailableRecords`. */
  | { kind: 'directory'; directory: DirectoryName; entries: DirectoryEntry[]; startIndex: number; total: number }
  | { kind: 'ErrorInfo'; error: ErrorInfo };

/** What came back for a command: an HTTP status (with body), or no answer at all. */
export type XsiOutcome =
  | { status: number; body?: XsiResultBody }
  /** Connection refused/reset, timeout: the command may or may not have been applied. */
  | { transportError: string };

/** Fields of the `SubscriptionEvent` envelope the connector may use (reference/xsi.md §5.6). */
export interface XsiEventEnvelope {
  eventId: string;
  sequenceNumber: number;
  subscriptionId: string;
  /** The monitored user. */
  targetId: string;
}

export type XsiEventData =
  /** Initial event of `Call Center Agent` (after subscribe/refresh); `joins` = joinData. */
  | ({ type: 'AgentSubscriptionEvent'; joins?: AgentJoinInfo[] } & AgentStateInfo)
  | ({ type: 'AgentStateEvent' } & AgentStateInfo)
  | { type: 'CallForwardingAlwaysEvent'; info: ForwardingInfo }
  | { type: 'HotelingGuestEvent'; info: HotelingGuestInfo }
  | { type: 'DoNotDisturbEvent'; info: DoNotDisturbInfo }
  | { type: 'RemoteOfficeEvent'; info: RemoteOfficeInfo }
  /** Initial event of `Basic Call`, `Advanced Call` and `Standard Call`: no calls, the hook status. */
  | { type: 'CallSubscriptionEvent'; hookStatus: 'On-Hook' | 'Off-Hook' }
  | { type: 'SubscriptionTerminatedEvent' };

export type XsiEvent = XsiEventEnvelope & XsiEventData;
