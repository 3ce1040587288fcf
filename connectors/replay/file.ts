import fs from 'node:fs';
import { z } from 'zod';
import { webhookMessageSchema } from '../webhook/schema';

/** One line of a replay file: the webhook's fields without createdAt (stamped when played), and the same checks. */
export const replayLineSchema = webhookMessageSchema.omit({ createdAt: true }).extend({
  /** the department the writer meant; the demo compares routing against it */
  department: z.string().optional(),
  /** the channel the demo shows it under (default replay); the replay account still owns it */
  channel: z.enum(['bluesky', 'mastodon', 'email'], 'one of bluesky, mastodon, email (or leave it out)').optional(),
});

/** Every channel a replay file's lines can be shown under. */
export const REPLAY_CHANNELS = ['replay', 'bluesky', 'mastodon', 'email'] as const;

export type ReplayLine = z.infer<typeof replayLineSchema>;

/** Reads and validates a JSONL replay file; a bad line stops with its number. */
export function readReplayFile(path: string): ReplayLine[] {
  const text = fs.readFileSync(path, 'utf8');
  const lines: ReplayLine[] = [];
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      throw new Error(`${path}:${index + 1}: not JSON: ${(err as Error).message}`);
    }
    const parsed = replayLineSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${path}:${index + 1}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
    }
    lines.push(parsed.data);
  });
  return lines;
}
