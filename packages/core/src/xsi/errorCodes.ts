/**
 * `ErrorInfo.errorCode` values the connector distinguishes (DESIGN §4.8, §6.3). Real BroadWorks
 * codes for these cases are not public; the simulator returns exactly these, and against a real
 * XSP an unrecognised code falls back to the HTTP-status row of the mapping table.
 */
export const XsiErrorCodes = {
  hostBusy: 110001,
  hostWithoutHotelingHost: 110002,
  guestWithoutHotelingGuest: 110003,
  selfAssociation: 110004,
  limitAboveHostLimit: 110005,
  activationWithoutNumber: 110006,
  schemaViolation: 110007,
  unknownUser: 110008,
  outOfScope: 110009,
  serviceNotAssigned: 110010,
  forwardingDestinationRefused: 110011,
  unknownPath: 110012,
  badCredentials: 110013,
} as const;

export type XsiErrorName = keyof typeof XsiErrorCodes;
