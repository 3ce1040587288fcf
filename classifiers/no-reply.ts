import { join } from 'node:path';
import { NO_REPLY_LABEL, REPLY_LABEL, type ReplyCheck, type ReplyDetector } from '../src/domain/classification';
import { loadSeedExamples, readLabelledFile, SEED_DIR } from './data';
import type { TrainedClassifier } from './model';
import type { LabelledExample } from './train';
import { train } from './train';

export { NO_REPLY_LABEL, REPLY_LABEL };
/** at this probability of "no reply needed" or above, a message needs no answer (NO_REPLY_THRESHOLD) */
export const DEFAULT_NO_REPLY_THRESHOLD = 0.8;
export const NO_REPLY_SEED_DIR = join(SEED_DIR, 'no-reply');
/** the department seed examples all want an answer; they weigh less than the hand-picked short ones */
const DEPARTMENT_WEIGHT = 0.5;

// Words that turn a thanks into a request ("thanks, but it still fails"); they only ever push towards a reply,
// because a missed customer costs more than a card too many.
const CUES = /\?|\b(but|however|still|though|aber|allerdings|trotzdem|immer noch|jedoch|doch nicht)\b/iu;

/** Our own examples: thanks, praise, chit-chat and spam against short messages that do want an answer. */
export function noReplySeedExamples(dir = NO_REPLY_SEED_DIR): LabelledExample[] {
  return ['en.jsonl', 'de.jsonl'].flatMap((f) => readLabelledFile(join(dir, f)));
}

/** The training set: the no-reply seed, every department seed example as "reply", and what agents taught it. */
export function noReplyTrainingSet(taught: readonly LabelledExample[] = []): LabelledExample[] {
  const departments = loadSeedExamples()
    .filter((e) => e.label !== 'other')
    .map((e) => ({ ...e, label: REPLY_LABEL, weight: DEPARTMENT_WEIGHT }));
  return [...noReplySeedExamples(), ...departments, ...taught];
}

/** The small two-class model (the department engine's features and training) and a cue rule on top. */
export class NoReplyDetector implements ReplyDetector {
  private readonly none: number;

  constructor(
    readonly model: TrainedClassifier,
    readonly threshold = DEFAULT_NO_REPLY_THRESHOLD,
  ) {
    this.none = model.labels.indexOf(NO_REPLY_LABEL);
    if (this.none < 0 || !model.labels.includes(REPLY_LABEL)) throw new Error(`a no-reply model needs the labels ${NO_REPLY_LABEL} and ${REPLY_LABEL}`);
  }

  check(text: string): ReplyCheck {
    const { scores } = this.model.classify(text);
    const score = Math.round((scores[NO_REPLY_LABEL] ?? 0) * 1000) / 1000;
    const cue = CUES.exec(text)?.[0];
    if (cue) return { needed: true, score, reason: `cue: ${cue.toLowerCase()}` };
    return { needed: score < this.threshold, score, reason: 'model' };
  }
}

/** Trains the detector on its seed plus `taught` (agents' flips); well under a second. */
export function trainNoReplyDetector(options: { threshold?: number; taught?: readonly LabelledExample[] } = {}): NoReplyDetector {
  return new NoReplyDetector(train(noReplyTrainingSet(options.taught)), options.threshold);
}
