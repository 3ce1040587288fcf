import { strict as assert } from 'node:assert';
import type { Classification, DepartmentClassifier } from '../../src/domain/classification';
import type { Prediction } from '..';
import { evaluate, expectedCalibrationError, suggestThreshold, triageAt } from '..';

/** Answers from a fixed table, so every figure can be worked out by hand. */
function tableModel(answers: Record<string, [string, number]>): DepartmentClassifier {
  return {
    classify(text: string): Classification {
      const [label, confidence] = answers[text]!;
      return { label, confidence, scores: { [label]: confidence } };
    },
  };
}

describe('classifiers: evaluation', function () {
  const model = tableModel({ a: ['support', 0.9], b: ['support', 0.6], c: ['sales', 0.8], d: ['support', 0.95] });
  const examples = [
    { text: 'a', label: 'support', lang: 'en' },
    { text: 'b', label: 'sales', lang: 'en' },
    { text: 'c', label: 'sales', lang: 'de' },
    { text: 'd', label: 'support', lang: 'de' },
  ];

  it('computes accuracy, per-class figures, macro-F1, confusion and per-language figures', function () {
    const e = evaluate(model, examples);
    assert.equal(e.accuracy, 0.75);
    assert.deepEqual(e.perClass.support, { precision: 0.6667, recall: 1, f1: 0.8, support: 2 });
    assert.deepEqual(e.perClass.sales, { precision: 1, recall: 0.5, f1: 0.6667, support: 2 });
    assert.equal(e.macroF1, 0.7333);
    assert.deepEqual(e.confusion, { support: { support: 2 }, sales: { support: 1, sales: 1 } });
    assert.deepEqual(e.perLang?.de, { accuracy: 1, macroF1: 1, support: 2 });
    assert.equal(e.perLang?.en?.accuracy, 0.5);
    assert.ok(e.classifyPerSecond > 0);
  });

  it('measures calibration error in 10 confidence bins', function () {
    const p = (confidence: number, right: boolean): Prediction => ({ actual: 'x', predicted: right ? 'x' : 'y', confidence });
    assert.equal(expectedCalibrationError([p(0.95, true), p(0.95, true)]), 0.05);
    assert.equal(expectedCalibrationError([p(0.75, true), p(0.75, false)]), 0.25);
  });

  it('reports auto-routed accuracy and triage share at a threshold, and suggests one', function () {
    const preds: Prediction[] = [
      { actual: 'a', predicted: 'a', confidence: 0.95 },
      { actual: 'a', predicted: 'a', confidence: 0.9 },
      { actual: 'a', predicted: 'b', confidence: 0.55 },
      { actual: 'b', predicted: 'b', confidence: 0.85 },
      { actual: 'b', predicted: 'b', confidence: 0.8 },
    ];
    assert.deepEqual(triageAt(preds, 0.5), { threshold: 0.5, autoAccuracy: 0.8, triageShare: 0 });
    assert.deepEqual(triageAt(preds, 0.6), { threshold: 0.6, autoAccuracy: 1, triageShare: 0.2 });
    assert.deepEqual(suggestThreshold(preds), { threshold: 0.56, autoAccuracy: 1, triageShare: 0.2 });
  });
});
