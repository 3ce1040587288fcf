import crypto from 'node:crypto';
import type { Connector, Cursor, InboundMessage, PullResult } from '../../src/domain/message';
import { toInbound as webhookToInbound } from '../webhook/schema';
import { readReplayFile, type ReplayLine } from './file';

export interface ReplayOptions {
  file: string;
  /** lines fed per pull; the pull interval sets the pace */
  batchSize?: number;
  now?: () => Date;
}

function toInbound(line: ReplayLine, createdAt: Date): InboundMessage {
  const message = webhookToInbound({ ...line, createdAt: createdAt.toISOString() });
  const profileUrl = line.author.handle ? `https://example.com/${line.author.handle.replace(/^@/, '')}` : undefined;
  return { ...message, channel: 'replay', author: { ...line.author, profileUrl } };
}

/** Plays a JSONL file of messages, a few at a time, as if they arrived now. */
export function createReplayConnector(options: ReplayOptions): Connector & { readonly account: string; readonly size: number } {
  const lines = readReplayFile(options.file);
  const batchSize = options.batchSize ?? 1;
  return {
    kind: 'replay',
    account: lines[0]?.source ?? 'replay',
    size: lines.length,
    pull(cursor: Cursor | null): Promise<PullResult> {
      const from = Number(cursor?.line ?? 0);
      const next = lines.slice(from, from + batchSize);
      const now = options.now?.() ?? new Date();
      return Promise.resolve({
        messages: next.map((line) => toInbound(line, now)),
        cursor: { line: String(from + next.length) },
      });
    },
    // a replayed customer is not real: the reply is recorded and goes nowhere
    send: () => Promise.resolve({ externalId: `replay-${crypto.randomUUID()}` }),
  };
}
