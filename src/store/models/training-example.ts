import { Schema, model, type InferSchemaType } from 'mongoose';

/** A labelled text the classifier learns from; manual corrections land here. */
const trainingExampleSchema = new Schema(
  {
    text: { type: String, required: true },
    label: { type: String, required: true },
    lang: String,
    source: { type: String, enum: ['correction', 'import'], required: true },
    conversationId: { type: Schema.Types.ObjectId, index: true },
    actor: String,
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

export type TrainingExampleDoc = InferSchemaType<typeof trainingExampleSchema>;
export const TrainingExampleModel = model('TrainingExample', trainingExampleSchema);
