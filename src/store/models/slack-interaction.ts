import { Schema, model } from 'mongoose';

/**
 * A Slack click or submission we acted on, keyed by a hash of what makes it the same one; acting again before
 * `until` is a duplicate; an expired one is taken over by the same atomic upsert as a lease.
 */
const slackInteractionSchema = new Schema(
  {
    _id: { type: String, required: true },
    until: { type: Date, required: true },
    // deletion only tidies up: the window is checked against `until`, since a TTL monitor may lag
    expiresAt: { type: Date, required: true, expires: 0 },
  },
  { versionKey: false },
);

export const SlackInteractionModel = model('SlackInteraction', slackInteractionSchema);
