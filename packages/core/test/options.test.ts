import { describe, expect, it } from 'vitest';
import { invalidOption, requiredString } from '../src/index.js';

describe('invalidOption', () => {
  it('names where, the key, the value (strings quoted) and what is allowed', () => {
    expect(() => invalidOption('f', 'max', 'x', 'a number')).toThrow(
      new TypeError('f: max must be a number, got "x"'),
    );
    expect(() => invalidOption('f', 'max', -1, 'a number')).toThrow('f: max must be a number, got -1');
    expect(() => invalidOption('f', 'max', Object.create(null), 'a number')).toThrow(
      'f: max must be a number, got object',
    );
  });
});

describe('requiredString', () => {
  it('returns a non-blank string and rejects anything else, naming the key', () => {
    expect(requiredString('f', 'name', 'users')).toBe('users');
    for (const bad of ['', '  ', undefined, 3]) {
      expect(() => requiredString('f', 'name', bad)).toThrow(/^f: name must be a non-empty string, got /);
    }
  });
});
