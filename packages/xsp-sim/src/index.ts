/** @csta-bw/xsp-sim — a simulated BroadWorks XSP: the pure, seeded model (src/model). */
export * from './model/directory.js';
export * from './model/errors.js';
export * from './model/faults.js';
export * from './model/state.js';
export * from './model/xsp.js';
export * from './model/channels.js';
export { initialNodes, nodeCount, nodeViews, setNodeCondition, setNodeDown, setNodeUp, type NodeView } from './model/nodes.js';
export { ackEvent, ACK_TIMEOUT_MS, MAX_DELIVERY_ATTEMPTS, MAX_SEQUENCE_NUMBER, type AckStatus, type Delivery } from './model/events.js';
export {
  subscribe, refreshSubscription, deleteSubscription, getSubscription, targetIdOf, SUBSCRIBE_COMMAND_EXPIRES, type SubscribeRequest,
} from './model/subscriptions.js';
export * from './model/external.js';
export * from './model/queries.js';
export { isoFromMillis } from './model/isoTime.js';
export { normaliseDestination } from './model/forwarding.js';
export { availableHotelingHosts } from './model/hostDirectory.js';
export { searchDirectory, searchUsers, matchesSearchValue, MAX_DIRECTORY_PAGE, type DirectoryPage } from './model/directorySearch.js';
export { groupUnavailableCodes, type UnavailableCodesRequest } from './model/unavailableCodes.js';
export { CALL_PACKAGES, MODELLED_PACKAGES, initialEvent } from './model/packages.js';
export * from './server/index.js';
export { seedWord, nextWord } from './model/rng.js';
