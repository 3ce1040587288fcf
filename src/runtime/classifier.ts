import { loadSeedExamples, train, TrainedClassifier } from '../../classifiers';
import { storedExamples } from '../learning/retrain';
import { activeModel, saveActiveModel } from '../store/repositories/classifier-models';
import type { Logger } from './logger';

/**
 * The model in force: the active stored version, or one trained now from our seed examples
 * plus every stored correction, saved as the next version.
 */
export async function loadOrTrainClassifier(logger: Logger): Promise<{ classifier: TrainedClassifier; version: number }> {
  const stored = await activeModel();
  if (stored) {
    try {
      return { classifier: TrainedClassifier.deserialize(stored.data), version: stored.version };
    } catch (err) {
      logger.warn({ err, version: stored.version }, 'stored classifier cannot be read; training a new one');
    }
  }
  const started = Date.now();
  const corrections = await storedExamples();
  const examples = [...loadSeedExamples(), ...corrections];
  const classifier = train(examples);
  const trainSeconds = (Date.now() - started) / 1000;
  const version = await saveActiveModel({
    labels: classifier.labels,
    trainedOn: examples.length,
    metrics: { trainSeconds, seedExamples: examples.length - corrections.length, corrections: corrections.length, calibration: classifier.meta.calibration },
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

  /** Picks up a version another process promoted; returns the stop function. */
  watch(intervalMs: number, logger: Logger): () => void {
    const timer = setInterval(() => {
      activeModel().then(
        (active) => {
          if (active && active.version !== this.version) {
            this.use(TrainedClassifier.deserialize(active.data), active.version);
            logger.info({ version: active.version }, 'classifier version picked up');
          }
        },
        (err: unknown) => logger.warn({ err }, 'could not check the active classifier'),
      );
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
