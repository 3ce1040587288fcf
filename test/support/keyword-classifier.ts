import type { Classification, DepartmentClassifier } from '../../src/domain/classification';

/**
 * A predictable classifier for pipeline tests: the first listed keyword found decides, with the
 * given confidence; routing logic is under test here, not the model.
 */
export class KeywordClassifier implements DepartmentClassifier {
  constructor(private readonly rules: Array<{ keyword: string; label: string; confidence: number }>) {}

  classify(text: string): Classification {
    const rule = this.rules.find((r) => text.toLowerCase().includes(r.keyword));
    const label = rule?.label ?? 'other';
    const confidence = rule?.confidence ?? 0.2;
    const labels = ['support', 'sales', 'product', 'hr', 'other'];
    const rest = (1 - confidence) / (labels.length - 1);
    const scores = Object.fromEntries(labels.map((l) => [l, l === label ? confidence : rest]));
    return { label, confidence, scores, lang: 'en', terms: rule ? [rule.keyword] : [] };
  }
}

export const testRules = [
  { keyword: 'broken', label: 'support', confidence: 0.9 },
  { keyword: 'price', label: 'sales', confidence: 0.85 },
  { keyword: 'feature', label: 'product', confidence: 0.8 },
  { keyword: 'job', label: 'hr', confidence: 0.9 },
  { keyword: 'maybe', label: 'sales', confidence: 0.3 },
];
