import { Schema, model, type InferSchemaType } from 'mongoose';

/** A labelled text the classifier learns from; manual corrections land here. */
const trainingExampleSchema = new Schema(
  {
    text: { type: String, required: true },
    label: { type: String, required: true },
    lang: String,
    source: { type: String, enum: ['correction', 'import'], required: true },
    /** 'reply': an agent's "needs a reply" / "no reply needed" verdict (label reply or none), taught to the no-reply detector; absent: a department */
    task: { type: String, enum: ['reply'] },
    conversationId: { type: Schema.Types.ObjectId, index: true },
    actor: String,
    /** a correction's customer and thread (channel:account:...), so near-identical messages follow it at once */
    customerKey: String,
    threadKey: String,
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
trainingExampleSchema.index({ customerKey: 1, createdAt: -1 });
trainingExampleSchema.index({ threadKey: 1, createdAt: -1 });
// every process looks at the no-reply verdicts each minute (src/learning/reply-detector.ts)
trainingExampleSchema.index({ task: 1, _id: -1 });
// the retraining job counts the department examples since the last model each minute (src/learning/retrain.ts)
trainingExampleSchema.index({ task: 1, createdAt: 1 });

export type TrainingExampleDoc = InferSchemaType<typeof trainingExampleSchema>;
export const TrainingExampleModel = model('TrainingExample', trainingExampleSchema);
