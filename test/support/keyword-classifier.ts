import type { Classification, DepartmentClassifier } from '../../src/domain/classification';

/**
 * A predictable classifier for pipeline tests: the first listed keyword found decides, with the
 * given confidence; routing logic is under test here, not the model.
 */
export class KeywordClassifier implements DepartmentClassifier {
  constructor(private readonly rules: Array<{ keyword: string; label: string; confidence: number; second?: { label: string; score: number } }>) {}

  classify(text: string): Classification {
    const rule = this.rules.find((r) => text.toLowerCase().includes(r.keyword));
    const label = rule?.label ?? 'other';
    const confidence = rule?.confidence ?? 0.2;
    const labels = ['support', 'sales', 'product', 'hr', 'other'];
    const second = rule?.second;
    const rest = (1 - confidence - (second?.score ?? 0)) / (labels.length - (second ? 2 : 1));
    const scores = Object.fromEntries(labels.map((l) => [l, l === label ? confidence : l === second?.label ? second.score : rest]));
    return { label, confidence, scores, lang: 'en', terms: rule ? [rule.keyword] : [] };
  }
}

export const testRules = [
  { keyword: 'broken', label: 'support', confidence: 0.9 },
  { keyword: 'price', label: 'sales', confidence: 0.85 },
  { keyword: 'feature', label: 'product', confidence: 0.8 },
  { keyword: 'job', label: 'hr', confidence: 0.9 },
  { keyword: 'maybe', label: 'sales', confidence: 0.3 },
  // a close call: sales first, support a close second (within RUNNER_UP_MARGIN)
  { keyword: 'invoice', label: 'sales', confidence: 0.55, second: { label: 'support', score: 0.42 } },
];
