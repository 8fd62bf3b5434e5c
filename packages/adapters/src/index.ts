/** @csta-bw/adapters — the shells that do I/O around the pure core (DESIGN §1–§2). */
export * from './trace.js';
export * from './virtualWorld.js';
export * from './runtime.js';
export * from './scenarios.js';
