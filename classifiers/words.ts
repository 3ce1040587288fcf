import type { Department } from '../src/domain/department';
import type { LabelledExample } from './train';

/** a department with fewer labelled examples than this is taught from its description and example phrases too */
export const FEW_EXAMPLES = 20;
/** a phrase counts as two seed examples; class balancing lifts a department with a handful of them further */
export const PHRASE_WEIGHT = 2;

type Described = Pick<Department, 'key' | 'description' | 'examples'>;

/** A department's description, sentence by sentence, and its example phrases. */
export function phrasesOf(d: Described): string[] {
  return [...(d.description?.split(/(?<=[.!?])\s+/) ?? []), ...(d.examples ?? [])].map((t) => t.trim()).filter((t) => t.length > 0);
}

/** Training examples from the words of departments that have fewer than FEW_EXAMPLES labelled examples in `known`. */
export function wordExamples(departments: readonly Described[], known: readonly LabelledExample[]): LabelledExample[] {
  const counts = new Map<string, number>();
  for (const e of known) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  return departments
    .filter((d) => (counts.get(d.key) ?? 0) < FEW_EXAMPLES)
    .flatMap((d) => phrasesOf(d).map((text) => ({ text, label: d.key, weight: PHRASE_WEIGHT })));
}

/** Departments a model (by its examples per label) learned mostly from their words: fewer than FEW_EXAMPLES others. */
export function taughtByWords(departments: readonly Described[], perLabel: Record<string, number>): string[] {
  return departments
    .filter((d) => perLabel[d.key] !== undefined && phrasesOf(d).length > 0 && perLabel[d.key]! - phrasesOf(d).length < FEW_EXAMPLES)
    .map((d) => d.key);
}
