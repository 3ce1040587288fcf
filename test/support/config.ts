import assert from 'node:assert/strict';
import { ConfigError } from '../../src/config';

/** The problems a ConfigError lists; fails the test when `fn` throws none. */
export function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return assert.fail('expected a ConfigError');
}
