import { evaluate, loadSeedExamples, stratifiedSplit, train, wordExamples, type LabelledExample } from '../../classifiers';
import type { Department } from '../domain/department';
import { TrainingExampleModel } from '../store/models/training-example';
import { saveActiveModel } from '../store/repositories/classifier-models';
import { STORED_WEIGHT, storedExamples } from './retrain';

export interface HistoryResult {
  imported: number;
  version: number;
  labels: string[];
  trainedOn: number;
  /** figures of a model trained without a stratified fifth of the history, on that fifth */
  heldOut?: { examples: number; accuracy: number; macroF1: number; perLang?: Record<string, { accuracy: number; macroF1: number; support: number }> };
  trainSeconds: number;
}

/** below this many imported examples a held-out fifth says nothing */
const MIN_FOR_FIGURES = 20;

/**
 * Stores a company's labelled past conversations as training examples, then trains on our seed examples,
 * every stored example and the history, and makes that the active model version at once (an admin asked for
 * it; corrections wait for the background retrain). The version keeps held-out figures on a fifth of the history.
 */
export async function learnHistory(history: LabelledExample[], actor: string, departments: readonly Department[] = []): Promise<HistoryResult> {
  const earlier = await storedExamples();
  await TrainingExampleModel.insertMany(history.map((e) => ({ text: e.text, label: e.label, lang: e.lang, source: 'import', actor })));
  const started = Date.now();
  const seen = [...loadSeedExamples(), ...earlier];
  // departments with few examples (history included) keep learning from their description and example phrases
  const known = [...seen, ...wordExamples(departments, [...seen, ...history])];
  // weighted as the background retraining will weigh it, so the next retrain does not shift the model for that alone
  const weighted = history.map((e) => ({ ...e, weight: STORED_WEIGHT, own: true }));
  let heldOut: HistoryResult['heldOut'];
  if (history.length >= MIN_FOR_FIGURES) {
    const { kept, held } = stratifiedSplit(weighted, (e) => e.label, 0.2, 1);
    const figures = evaluate(train([...known, ...kept]), held);
    heldOut = { examples: held.length, accuracy: figures.accuracy, macroF1: figures.macroF1, ...(figures.perLang ? { perLang: figures.perLang } : {}) };
  }
  const all = [...known, ...weighted];
  const model = train(all);
  const trainSeconds = (Date.now() - started) / 1000;
  const version = await saveActiveModel({
    labels: model.labels,
    trainedOn: all.length,
    metrics: { decision: `history import of ${history.length} examples (${actor})`, heldOut, trainSeconds, calibration: model.meta.calibration },
    data: model.serialize(),
  });
  return { imported: history.length, version, labels: model.labels, trainedOn: all.length, ...(heldOut ? { heldOut } : {}), trainSeconds };
}
