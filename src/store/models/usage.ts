import { Schema, model, type InferSchemaType } from 'mongoose';

/** What X bills, counted per kind (see BillableKind) and priced when it was read or written. */
const counters = {
  /** post reads at the ordinary price */
  posts: { type: Number, default: 0 },
  /** owned reads: the mentions and posts of the account that owns the developer app */
  ownedPosts: { type: Number, default: 0 },
  dmEvents: { type: Number, default: 0 },
  postsCreated: { type: Number, default: 0 },
  postsWithUrlCreated: { type: Number, default: 0 },
  dmsCreated: { type: Number, default: 0 },
  usd: { type: Number, default: 0 },
};

/** What a pay-per-use channel account read and wrote in one calendar month (UTC). */
const usageSchema = new Schema(
  {
    channel: { type: String, required: true },
    account: { type: String, required: true },
    month: { type: String, required: true, match: /^\d{4}-\d{2}$/ },
    ...counters,
  },
  { timestamps: true },
);

// unique: concurrent upserts of one key must not make two records (a few rows per account, so DocumentDB's
// compound-unique insert cost does not matter here)
usageSchema.index({ channel: 1, account: 1, month: 1 }, { unique: true });

export type UsageDoc = InferSchemaType<typeof usageSchema>;
export const UsageModel = model('ReadUsage', usageSchema);

/** The same per UTC day; `_id` derived from (channel, account, day), so the upsert is by `_id`. */
const usageDaySchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    channel: { type: String, required: true },
    account: { type: String, required: true },
    day: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
    month: { type: String, required: true },
    ...counters,
  },
  { timestamps: true },
);

export const UsageDayModel = model('ReadUsageDay', usageDaySchema);
