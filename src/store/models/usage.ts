import { Schema, model, type InferSchemaType } from 'mongoose';

/** What a pay-per-use channel account read in one calendar month (UTC). */
const usageSchema = new Schema(
  {
    channel: { type: String, required: true },
    account: { type: String, required: true },
    month: { type: String, required: true, match: /^\d{4}-\d{2}$/ },
    posts: { type: Number, default: 0 },
    dmEvents: { type: Number, default: 0 },
  },
  { timestamps: true },
);

// unique: concurrent upserts of one key must not make two records (a few rows per account, so DocumentDB's
// compound-unique insert cost does not matter here)
usageSchema.index({ channel: 1, account: 1, month: 1 }, { unique: true });

export type UsageDoc = InferSchemaType<typeof usageSchema>;
export const UsageModel = model('ReadUsage', usageSchema);
