import { Schema, model, type InferSchemaType } from 'mongoose';

const channelAccountSchema = new Schema(
  {
    channel: { type: String, required: true },
    account: { type: String, required: true },
    status: { type: String, enum: ['active', 'failing', 'over_budget'], default: 'active' },
    statusReason: String,
    /** a hash of the credentials; new credentials lift a 'failing' status */
    credentialsFingerprint: String,
    cursor: { type: Schema.Types.Mixed, default: {} },
    /** polling waits until then (a rate limit's reset) */
    pausedUntil: Date,
    lastPolledAt: Date,
  },
  { timestamps: true, minimize: false },
);

// unique: concurrent upserts of one key must not make two records (a few rows per account, so DocumentDB's
// compound-unique insert cost does not matter here)
channelAccountSchema.index({ channel: 1, account: 1 }, { unique: true });

export type ChannelAccountDoc = InferSchemaType<typeof channelAccountSchema>;
export const ChannelAccountModel = model('ChannelAccount', channelAccountSchema);
