import type { Department } from '../domain/department';

/**
 * The most a department the model knows only from its description and examples needs: the held-out slice that
 * picks the automatic threshold holds one or two of its phrases at most, so that threshold says nothing about it.
 */
export const WORDS_THRESHOLD = 0.5;

/** Departments the model has no label for (no examples, no description or examples), and whether a rule still leads there. */
export function unreachable(departments: readonly Department[], labels: readonly string[]): Array<{ key: string; rules: boolean }> {
  return departments
    .filter((d) => !labels.includes(d.key))
    .map((d) => ({ key: d.key, rules: !!(d.rules?.keywords?.length || d.rules?.authors?.length) }));
}
