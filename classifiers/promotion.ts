import type { DepartmentClassifier } from '../src/domain/classification';
import { evaluate } from './evaluate';
import type { LabelledExample } from './train';

export interface PromotionDecision {
  promote: boolean;
  reason: string;
  /** figures on the held-out examples; current is absent when there is no model yet */
  candidate?: { accuracy: number; macroF1: number };
  current?: { accuracy: number; macroF1: number };
  examples: number;
}

const figures = (model: DepartmentClassifier, examples: LabelledExample[]) => {
  const { accuracy, macroF1 } = evaluate(model, examples);
  return { accuracy, macroF1 };
};

/**
 * Whether a newly trained model may replace the current one: it must not be worse on recent
 * labelled examples that neither was trained on (accuracy and macro-F1, within `tolerance`).
 */
export function decidePromotion(
  current: DepartmentClassifier | undefined,
  candidate: DepartmentClassifier,
  heldOut: LabelledExample[],
  { tolerance = 0 }: { tolerance?: number } = {},
): PromotionDecision {
  const examples = heldOut.length;
  if (!current) return { promote: true, reason: 'no current model', examples };
  if (examples === 0) return { promote: false, reason: 'no held-out examples to compare on', examples };
  const c = figures(candidate, heldOut);
  const o = figures(current, heldOut);
  const promote = c.accuracy >= o.accuracy - tolerance && c.macroF1 >= o.macroF1 - tolerance;
  const reason = promote
    ? `not worse: accuracy ${o.accuracy} -> ${c.accuracy}, macro-F1 ${o.macroF1} -> ${c.macroF1}`
    : `worse: accuracy ${o.accuracy} -> ${c.accuracy}, macro-F1 ${o.macroF1} -> ${c.macroF1}`;
  return { promote, reason, candidate: c, current: o, examples };
}
