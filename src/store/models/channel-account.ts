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
    /** per timeline (X: mentions, dms), a TimelineState: each is polled, paused and fails on its own */
    timelines: { type: Schema.Types.Mixed, default: {} },
    /** X: the account owns the developer app, so its mentions are billed as owned reads */
    ownsApp: Boolean,
    /** polling waits until then (accounts stored before timelines had their own pause) */
    pausedUntil: Date,
    lastPolledAt: Date,
  },
  { timestamps: true, minimize: false },
);

// unique: concurrent upserts of one key must not make two records (a few rows per account, so DocumentDB's
// compound-unique insert cost does not matter here)
channelAccountSchema.index({ channel: 1, account: 1 }, { unique: true });

/** One timeline's state; a timeline that is 'failing' waits for new credentials. */
export interface TimelineState {
  status?: 'active' | 'failing';
  lastSuccessAt?: Date;
  lastError?: string;
  lastErrorAt?: Date;
  pausedUntil?: Date;
  pauseReason?: string;
}

export type ChannelAccountDoc = InferSchemaType<typeof channelAccountSchema>;
export const ChannelAccountModel = model('ChannelAccount', channelAccountSchema);
