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

export function toInbound(line: ReplayLine, createdAt: Date): InboundMessage {
  const message = webhookToInbound({ ...line, createdAt: createdAt.toISOString() });
  const profileUrl = line.author.handle ? `https://example.com/${line.author.handle.replace(/^@/, '')}` : undefined;
  return { ...message, channel: line.channel ?? 'replay', author: { ...line.author, profileUrl } };
}

/** Round 2 and later of a file played again: new ids, so they are new conversations, not duplicates. */
function inRound(line: ReplayLine, round: number): ReplayLine {
  if (round === 0) return line;
  return { ...line, externalId: `${line.externalId}~${round + 1}`, threadKey: `${line.threadKey ?? line.externalId}~${round + 1}` };
}

/** Plays a JSONL file of messages, a few at a time, as if they arrived now; at its end it starts again. */
export function createReplayConnector(
  options: ReplayOptions,
): Connector & { readonly account: string; readonly size: number; readonly channels: readonly string[]; pull: NonNullable<Connector['pull']> } {
  const lines = readReplayFile(options.file);
  const batchSize = options.batchSize ?? 1;
  return {
    kind: 'replay',
    account: lines[0]?.source ?? 'replay',
    size: lines.length,
    // it answers its own lines on whichever channel they name
    channels: ['replay', ...new Set(lines.flatMap((l) => (l.channel ? [l.channel] : [])))],
    pull(cursor: Cursor | null): Promise<PullResult> {
      const from = Number(cursor?.line ?? 0);
      const now = options.now?.() ?? new Date();
      const positions = lines.length === 0 ? [] : Array.from({ length: batchSize }, (_, i) => from + i);
      return Promise.resolve({
        messages: positions.map((n) => toInbound(inRound(lines[n % lines.length]!, Math.floor(n / lines.length)), now)),
        cursor: { line: String(from + positions.length) },
      });
    },
    // a replayed customer is not real: the reply is recorded and goes nowhere
    send: () => Promise.resolve({ externalId: `replay-${crypto.randomUUID()}` }),
  };
}
