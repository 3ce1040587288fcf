import { Schema, model, type InferSchemaType } from 'mongoose';

export const TOKEN_ROLES = ['ingest', 'agent', 'manager', 'admin'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

/** API tokens are stored as a SHA-256 hash; the plain token is shown once, at creation. */
const apiTokenSchema = new Schema(
  {
    name: { type: String, required: true },
    role: { type: String, enum: TOKEN_ROLES, required: true },
    hash: { type: String, required: true, unique: true },
    prefix: { type: String, required: true },
    lastUsedAt: Date,
    revokedAt: Date,
    /** absent: the token does not expire */
    expiresAt: Date,
  },
  { timestamps: true },
);

export type ApiTokenDoc = InferSchemaType<typeof apiTokenSchema>;
export const ApiTokenModel = model('ApiToken', apiTokenSchema);
