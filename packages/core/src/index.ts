/** @csta-bw/core — the pure protocol core of csta-bw (DESIGN §1–§2). */
export * from './xsi/types.js';
export * from './csta/types.js';
export * from './connector/io.js';
export * from './xsi/errorCodes.js';
export * from './csta/codec.js';
export * from './csta/framing.js';
export * from './xsi/codec.js';
