/**
 * `ErrorInfo.errorCode` values the connector distinguishes (DESIGN §4.8, §6.3). BroadWorks does
 * not publish its codes for these cases; the simulator answers with exactly these (its README
 * has the full table), and against a real XSP an unrecognised code falls back to the
 * HTTP-status row of the mapping table.
 */
export const XsiErrorCodes = {
  unknownUser: 110001,
  outOfScope: 110002,
  schemaViolation: 110003,
  notAuthenticated: 110004,
  callCenterNotAssigned: 110101,
  forwardingNotAssigned: 110201,
  forwardingNumberRequired: 110202,
  forwardingDestinationInvalid: 110203,
  guestNotAssigned: 110301,
  guestInactive: 110302,
  hostUnknown: 110303,
  hostNotAssigned: 110304,
  hostInactive: 110305,
  hostBusy: 110306,
  selfAssociation: 110307,
  guestLimitAboveHostLimit: 110308,
} as const;

export type XsiErrorName = keyof typeof XsiErrorCodes;
