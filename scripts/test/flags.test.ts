/** scripts/flags.ts: the shared reading and refusing of the scripts' flags. */
import { afterEach, describe, expect, it } from 'vitest';
import { parseFlags, portNumber, wholeNumber, type Fail } from '../flags.js';

const fail: Fail = (message) => {
  throw new Error(message);
};

describe('flags', () => {
  const argv = process.argv;
  afterEach(() => {
    process.argv = argv;
  });

  it('wholeNumber: the fallback when absent, the number in range, a message naming the flag and range otherwise', () => {
    expect(wholeNumber(fail, undefined, '--rounds', 20, 1, 100)).toBe(20);
    expect(wholeNumber(fail, '7', '--rounds', 20, 1, 100)).toBe(7);
    for (const bad of ['0', '101', '-1', '1.5', '1e2', 'x', '']) {
      expect(() => wholeNumber(fail, bad, '--rounds', 20, 1, 100)).toThrow(`--rounds must be a whole number 1–100, got "${bad}"`);
    }
  });

  it('portNumber: 0–65535', () => {
    expect(portNumber(fail, undefined, '--csta-port', 1040)).toBe(1040);
    expect(portNumber(fail, '0', '--csta-port', 1040)).toBe(0);
    expect(() => portNumber(fail, '65536', '--csta-port', 1040)).toThrow('--csta-port must be a port number 0–65535, got "65536"');
  });

  it('parseFlags: drops pnpm\'s literal "--", refuses an unknown flag and positionals unless allowed', () => {
    process.argv = ['node', 'script', '--', '--port', '5', 'extra'];
    expect(parseFlags(fail, { port: { type: 'string' } }, true)).toMatchObject({ values: { port: '5' }, positionals: ['extra'] });
    expect(() => parseFlags(fail, { port: { type: 'string' } })).toThrow(/Unexpected argument 'extra'/);
    process.argv = ['node', 'script', '--bogus'];
    expect(() => parseFlags(fail, { port: { type: 'string' } })).toThrow(/Unknown option '--bogus'/);
  });
});
