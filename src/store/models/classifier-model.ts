import { Schema, model, type InferSchemaType } from 'mongoose';

/** A versioned, serialized classifier with the figures it was promoted on. */
const classifierModelSchema = new Schema(
  {
    version: { type: Number, required: true, unique: true },
    labels: [String],
    trainedOn: { type: Number, required: true },
    metrics: { type: Schema.Types.Mixed, default: {} },
    data: { type: String, required: true },
    active: { type: Boolean, default: false },
    /** when its examples were read: a correction stored while it trained is new to the next retraining */
    examplesUpTo: Date,
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

export type ClassifierModelDoc = InferSchemaType<typeof classifierModelSchema>;
export const ClassifierModelModel = model('ClassifierModel', classifierModelSchema);
