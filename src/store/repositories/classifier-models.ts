import { insertOnce, retryTransient } from '../connection';
import { ClassifierModelModel } from '../models/classifier-model';
import { TrainingExampleModel } from '../models/training-example';

export async function activeModel() {
  return ClassifierModelModel.findOne({ active: true }).sort({ version: -1 }).lean();
}

/** The active version's number alone: what a process checks each minute before loading the (large) model. */
export async function activeVersion(): Promise<number | undefined> {
  return (await ClassifierModelModel.findOne({ active: true }, { version: 1 }).sort({ version: -1 }).lean())?.version;
}

export interface ModelInput {
  labels: string[];
  trainedOn: number;
  metrics: Record<string, unknown>;
  data: string;
  examplesUpTo?: Date;
}

/**
 * Stores `input` (inactive) as the next version and returns its number. Two processes storing at once (starting on
 * a new database, a retraining beside a history import) both get one: the unique version refuses the second, which
 * takes the next.
 */
export async function saveNextVersion(input: ModelInput): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const latest = await ClassifierModelModel.findOne({}, { version: 1 }).sort({ version: -1 }).lean();
    const version = (latest?.version ?? 0) + 1;
    if (await insertOnce(() => ClassifierModelModel.create({ ...input, version, active: false }))) return version;
    if (attempt === 10) throw new Error(`could not store a classifier version: version ${version} was taken ${attempt} times`);
  }
}

/**
 * Stores a new version and makes it the active one. Only older versions are switched off: a process still storing
 * an older one cannot switch off a newer one, which stays in force as the highest active version.
 */
export async function saveActiveModel(input: ModelInput) {
  const version = await saveNextVersion(input);
  await retryTransient(() => ClassifierModelModel.updateMany({ active: true, version: { $lt: version } }, { $set: { active: false } }));
  await retryTransient(() => ClassifierModelModel.updateOne({ version }, { $set: { active: true } }));
  return version;
}

/** A training example for the department model: every one but agents' no-reply verdicts (`task: 'reply'`). */
export const DEPARTMENT_EXAMPLES = { task: { $exists: false } };

/** The department examples (corrections and imported history), oldest first; the no-reply verdicts are not among them. */
export async function trainingExamples() {
  return TrainingExampleModel.find(DEPARTMENT_EXAMPLES, { text: 1, label: 1, lang: 1 }).sort({ _id: 1 }).lean();
}

/** Model versions, newest first, without their (large) serialized data. */
export async function listModels(limit = 20) {
  return ClassifierModelModel.find({}, { data: 0 }).sort({ version: -1 }).limit(limit).lean();
}
