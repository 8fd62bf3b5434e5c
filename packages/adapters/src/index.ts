/** @csta-bw/adapters — the shells that do I/O around the pure core (DESIGN §1–§2). */
export * from './trace.js';
export * from './virtualWorld.js';
export * from './runtime.js';
export * from './store/index.js';
export * from './scenarios.js';
export * from './invariants.js';
export * from './schedule.js';
export * from './modelTransport.js';
export * from './csta/session.js';
export * from './csta/link.js';
export { CstaLinkMachine, type LinkMachineHooks, type LinkTimer } from './csta/linkMachine.js';
export * from './csta/server.js';
export * from './csta/gateway.js';
export * from './csta/client.js';
export * from './xsi/transport.js';
export * from './explore/index.js';
