import { decidePromotion, loadSeedExamples, train, wordExamples, type LabelledExample, type TrainedClassifier } from '../../classifiers';
import { recordAction } from '../audit/record';
import type { Department } from '../domain/department';
import { ClassifierModelModel } from '../store/models/classifier-model';
import { TrainingExampleModel } from '../store/models/training-example';
import { activeVersion, DEPARTMENT_EXAMPLES, saveActiveModel, saveNextVersion, trainingExamples } from '../store/repositories/classifier-models';

export interface RetrainOptions {
  /** retrain when at least this many corrections arrived since the last trained model ... */
  minNewCorrections: number;
  /** ... or when any did and the last model is older than this */
  maxAgeMs: number;
  now?: Date;
  /** a stored example counts this many times a seed example; default STORED_WEIGHT */
  correctionWeight?: number;
  /** departments whose description and examples are taught while they have few examples */
  departments?: readonly Department[];
}

/** a person's correction or a company's own history counts this many times one of our seed examples */
export const STORED_WEIGHT = 3;

/** Every stored training example (corrections and imported history), oldest first, weighted against the seed. */
export async function storedExamples(weight = STORED_WEIGHT): Promise<LabelledExample[]> {
  // the company's own rows: the classifier's second stage fits them on top of the seed-wide model
  return (await trainingExamples()).map((e) => ({ text: e.text, label: e.label, lang: e.lang ?? undefined, weight, own: true }));
}

export type RetrainResult =
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'promoted'; version: number; classifier: TrainedClassifier; reason: string }
  | { outcome: 'rejected'; version: number; reason: string };

/**
 * Trains a candidate on the seed examples plus all but the most recent corrections, compares it with
 * the current model on those recent ones, and only when it is not worse trains on everything and
 * makes that the active version. Rejected candidates are stored (inactive) with their figures.
 */
export async function retrain(current: TrainedClassifier, options: RetrainOptions): Promise<RetrainResult> {
  // since the last model trained, promoted or not: a rejected candidate is not retried on the same data
  const last = await ClassifierModelModel.findOne({}, { createdAt: 1, examplesUpTo: 1 }).sort({ version: -1 }).lean();
  const since = last?.examplesUpTo ?? last?.createdAt ?? new Date(0);
  const fresh = await TrainingExampleModel.countDocuments({ ...DEPARTMENT_EXAMPLES, createdAt: { $gt: since } });
  const old = (options.now ?? new Date()).getTime() - since.getTime() >= options.maxAgeMs;
  if (fresh === 0 || (fresh < options.minNewCorrections && !old)) {
    return { outcome: 'skipped', reason: `${fresh} new corrections, waiting for ${options.minNewCorrections}` };
  }

  const readAt = new Date();
  const stored = await storedExamples(options.correctionWeight);
  const heldOutSize = Math.min(200, Math.max(5, Math.round(stored.length * 0.2)));
  const heldOut = stored.slice(-heldOutSize);
  const seed = loadSeedExamples();
  const words = wordExamples(options.departments ?? [], [...seed, ...stored]);
  const started = Date.now();
  const candidate = train([...seed, ...words, ...stored.slice(0, -heldOutSize)]);
  const decision = decidePromotion(current, candidate, heldOut);
  const metrics = {
    decision: decision.reason,
    heldOut: decision.examples,
    candidate: decision.candidate,
    current: decision.current,
    seedExamples: seed.length,
    corrections: stored.length,
    newCorrections: fresh,
  };
  if (!decision.promote) {
    const version = await saveModel(candidate, seed.length + stored.length - heldOutSize, { ...metrics, trainSeconds: (Date.now() - started) / 1000 }, false, readAt);
    return { outcome: 'rejected', version, reason: decision.reason };
  }
  const final = train([...seed, ...words, ...stored]);
  const previous = (await activeVersion()) ?? null;
  const version = await saveModel(final, seed.length + stored.length, { ...metrics, trainSeconds: (Date.now() - started) / 1000 }, true, readAt);
  await recordAction({ actor: 'system:retrain', action: 'model.promoted', target: { kind: 'model', id: String(version) }, before: { activeVersion: previous }, after: { activeVersion: version }, details: { reason: decision.reason, trainedOn: seed.length + stored.length } });
  return { outcome: 'promoted', version, classifier: final, reason: decision.reason };
}

async function saveModel(model: TrainedClassifier, trainedOn: number, metrics: Record<string, unknown>, active: boolean, examplesUpTo: Date): Promise<number> {
  const input = { labels: model.labels, trainedOn, metrics, data: model.serialize(), examplesUpTo };
  return active ? saveActiveModel(input) : saveNextVersion(input);
}
