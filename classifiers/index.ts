/** Department classifier engine: language-aware features, a calibrated softmax model, evaluation and data loading. */
export type { LabelledExample, TrainOptions } from './train';
export { train } from './train';
export { TrainedClassifier } from './model';
export { detectLanguage, SUPPORTED_LANGUAGES } from './language';
export type { Evaluation, ClassMetrics, Prediction } from './evaluate';
export { evaluate, predictAll, scorePredictions, expectedCalibrationError } from './evaluate';
export type { TriagePoint } from './triage';
export { triageAt, suggestThreshold } from './triage';
export { readLabelledFile, loadSeedExamples, LabelledDataError, SEED_DIR } from './data';
export { stratifiedSplit } from './random';
export type { PromotionDecision } from './promotion';
export { decidePromotion } from './promotion';
export type { ModelMeta } from './model';
export { FEW_EXAMPLES, PHRASE_WEIGHT, phrasesOf, taughtByWords, wordExamples } from './words';
