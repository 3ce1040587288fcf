import { trainNoReplyDetector, type NoReplyDetector } from '../../classifiers/no-reply';
import type { Router } from '../routing/router';
import type { Logger } from '../runtime/logger';
import { TrainingExampleModel } from '../store/models/training-example';
import { replyCorrections } from '../store/repositories/corrections';
import { STORED_WEIGHT } from './retrain';

export interface StoredReplyDetector {
  detector: NoReplyDetector;
  /** how many verdicts it learnt */
  taught: number;
  /** the verdicts' mark read before them: a verdict added meanwhile shows as a change (watchReplyVerdicts) */
  mark: string;
}

/** What the taught verdicts are now: their count and newest id (an erasure lowers the count, a flip moves the id). */
async function verdictsMark(): Promise<string> {
  const [count, newest] = await Promise.all([
    TrainingExampleModel.countDocuments({ task: 'reply' }),
    TrainingExampleModel.findOne({ task: 'reply' }, { _id: 1 }).sort({ _id: -1 }).lean(),
  ]);
  return `${count}:${String(newest?._id ?? '')}`;
}

async function trainOnVerdicts(threshold: number | undefined, mark: string): Promise<StoredReplyDetector> {
  // not `own`: a few verdicts fitted on their own would tilt every other message their way
  const taught = (await replyCorrections()).map((e) => ({ ...e, weight: STORED_WEIGHT }));
  return { detector: trainNoReplyDetector({ threshold, taught }), taught: taught.length, mark };
}

/** The no-reply detector trained on its seed and every verdict agents gave (each weighs as a department correction does). */
export async function replyDetectorFromStore(threshold?: number): Promise<StoredReplyDetector> {
  return trainOnVerdicts(threshold, await verdictsMark());
}

/**
 * Retrains the router's detector when agents' verdicts changed (in any process) since `since` (the mark of the
 * detector it has), checked every `intervalMs`; returns the stop function. Training takes well under a second, so it
 * runs here rather than as a job.
 */
export function watchReplyVerdicts(router: Router, threshold: number, since: string, intervalMs: number, logger: Logger): () => void {
  let mark = since;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    (async () => {
      const now = await verdictsMark();
      if (now === mark) return;
      const trained = await trainOnVerdicts(threshold, now);
      router.useReplyDetector(trained.detector);
      mark = trained.mark;
      logger.info({ taught: trained.taught }, 'no-reply detector retrained on agents\' verdicts');
    })()
      .catch((err: unknown) => logger.warn({ err }, 'could not retrain the no-reply detector'))
      .finally(() => (busy = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
