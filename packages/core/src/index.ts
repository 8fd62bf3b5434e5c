/** @csta-bw/core — the pure protocol core of csta-bw (DESIGN §1–§2). */
export * from './xsi/types.js';
export * from './csta/types.js';
export * from './connector/io.js';
export * from './xsi/errorCodes.js';
export * from './csta/codec.js';
export * from './csta/framing.js';
export * from './xsi/codec.js';
export { step } from './connector/step.js';
export { createConnector, cloneConnector } from './connector/state.js';
export { pairingAt, pairedDesks, ourGuestAt, ourAssociations, desksOwing, nothingOwed } from './connector/pairings.js';
export { isIdle, coverageFacts, branchFacts, commandPurpose, loginsPastHostSignOut, sagasUnderWay, type CommandPurpose, type SagaPhase } from './connector/queries.js';
export type { ConnectorRestore } from './connector/state.js';
export type { Pairing, PairingPhase, PairingChange, SavedPairings, DeskBefore } from './connector/pairingRecord.js';
export type { SendParams, SendCondition } from './connector/sagas/step.js';
export type { ConnectorState, UserRecord, Monitor, DeskReport, NumberPlan, ParkedRequest } from './connector/state.js';
export { CSTA_STATE_OF, ACD_STATE_FOR, isSignedIn } from './connector/agentStates.js';
export { normaliseNumber, displayId } from './connector/identity.js';
export { deskReport, agentEventsBetween } from './connector/observe.js';
