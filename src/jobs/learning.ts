import type { Agenda } from 'agenda';
import type { TrainedClassifier } from '../../classifiers';
import { retrain, type RetrainOptions } from '../learning/retrain';
import type { Logger } from '../runtime/logger';
import { DEFAULT_LOCK_LIFETIME_MS, renewingLock } from './locks';

export const RETRAIN_JOB = 'classifier.retrain';

/** Every minute: retrain in the background when enough corrections arrived; promote only a model that is not worse. */
export async function scheduleRetraining(
  agenda: Agenda,
  deps: {
    current: () => TrainedClassifier;
    promoted: (model: TrainedClassifier, version: number) => void;
    options: RetrainOptions;
    logger: Logger;
    /** JOBS_LOCK_LIFETIME_MS; training renews it */
    lockLifetimeMs?: number;
  },
): Promise<void> {
  const lockLifetime = deps.lockLifetimeMs ?? DEFAULT_LOCK_LIFETIME_MS;
  agenda.define(RETRAIN_JOB, (job) => renewingLock(job, lockLifetime, async () => {
    const result = await retrain(deps.current(), { ...deps.options, now: new Date() });
    if (result.outcome === 'skipped') return;
    deps.logger.info({ outcome: result.outcome, version: result.version, reason: result.reason }, 'classifier retrained');
    if (result.outcome === 'promoted') deps.promoted(result.classifier, result.version);
  }), { concurrency: 1, lockLifetime });
  await agenda.every('1 minute', RETRAIN_JOB);
}
