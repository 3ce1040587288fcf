import { loadSeedExamples, phrasesOf, taughtByWords, train, TrainedClassifier, wordExamples } from '../../classifiers';
import type { Department } from '../domain/department';
import { storedExamples } from '../learning/retrain';
import { activeModel, activeVersion, saveActiveModel } from '../store/repositories/classifier-models';
import { unreachable, WORDS_THRESHOLD } from '../routing/words';
import type { Logger } from './logger';

/**
 * The model in force: the active stored version, or one trained now from our seed examples, every stored
 * correction and the words of departments with few examples, saved as the next version. A stored version that
 * lacks a department that has words (added to the departments file since) is replaced the same way.
 */
export async function loadOrTrainClassifier(logger: Logger, departments: readonly Department[] = []): Promise<{ classifier: TrainedClassifier; version: number }> {
  const stored = await activeModel();
  if (stored) {
    try {
      const classifier = TrainedClassifier.deserialize(stored.data);
      const missing = departments.filter((d) => !classifier.labels.includes(d.key) && phrasesOf(d).length > 0).map((d) => d.key);
      if (missing.length === 0) return { classifier, version: stored.version };
      logger.info({ version: stored.version, departments: missing }, 'stored classifier does not know departments that have a description or examples; training a new one');
    } catch (err) {
      logger.warn({ err, version: stored.version }, 'stored classifier cannot be read; training a new one');
    }
  }
  const started = Date.now();
  const corrections = await storedExamples();
  const known = [...loadSeedExamples(), ...corrections];
  const words = wordExamples(departments, known);
  const examples = [...known, ...words];
  const classifier = train(examples);
  const trainSeconds = (Date.now() - started) / 1000;
  const version = await saveActiveModel({
    labels: classifier.labels,
    trainedOn: examples.length,
    metrics: { trainSeconds, seedExamples: known.length - corrections.length, corrections: corrections.length, departmentPhrases: words.length, calibration: classifier.meta.calibration },
    data: classifier.serialize(),
  });
  logger.info({ version, examples: examples.length, trainSeconds }, 'classifier trained');
  return { classifier, version };
}

/** The model in force in this process, swapped when a newer version becomes active (here or in another process). */
export class ModelHolder {
  constructor(
    public classifier: TrainedClassifier,
    public version: number,
    private readonly onChange: (classifier: TrainedClassifier) => void,
  ) {}

  use(classifier: TrainedClassifier, version: number): void {
    this.classifier = classifier;
    this.version = version;
    this.onChange(classifier);
  }

  /** Loads the active model when its version is not ours; returns the version it loaded. */
  private async pickUp(): Promise<number | undefined> {
    if ((await activeVersion()) === this.version) return undefined;
    const active = await activeModel();
    if (!active || active.version === this.version) return undefined;
    this.use(TrainedClassifier.deserialize(active.data), active.version);
    return active.version;
  }

  /** Picks up a version another process promoted; returns the stop function. */
  watch(intervalMs: number, logger: Logger): () => void {
    const timer = setInterval(() => {
      this.pickUp().then(
        (version) => {
          if (version !== undefined) logger.info({ version }, 'classifier version picked up');
        },
        (err: unknown) => logger.warn({ err }, 'could not check the active classifier'),
      );
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}

/** Departments the model knows mostly from their description and examples get WORDS_THRESHOLD at most (see routing/words). */
export function wordThresholds(departments: readonly Department[], classifier: TrainedClassifier): Record<string, number> {
  return Object.fromEntries(taughtByWords(departments, classifier.meta.perLabel).map((key) => [key, WORDS_THRESHOLD]));
}

/** The start log names every department the model cannot route to (no examples, no description or examples). */
export function warnUnreachable(departments: readonly Department[], classifier: TrainedClassifier, logger: Logger): void {
  for (const { key, rules } of unreachable(departments, classifier.labels)) {
    logger.warn(
      { department: key },
      `the classifier cannot route to department "${key}": it has no examples of it, and the departments file gives it no description or examples; ` +
        (rules ? 'only its rules send conversations there' : 'nothing reaches it but a person moving a conversation there'),
    );
  }
}
