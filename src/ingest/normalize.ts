import type { InboundMessage } from '../domain/message';
import { ValidationError } from '../domain/errors';

/** Canonical text and keys, so the same message from two sources dedupes and threads alike. */
export function normalize(message: InboundMessage): InboundMessage {
  const text = message.text.normalize('NFC').replace(/\r\n?/g, '\n').trim();
  if (text.length === 0) throw new ValidationError(`message ${message.externalId} has no text`);
  if (Number.isNaN(message.createdAt.getTime())) {
    throw new ValidationError(`message ${message.externalId} has an invalid createdAt`);
  }
  const classifyText = message.classifyText?.normalize('NFC').replace(/\r\n?/g, '\n').trim();
  return {
    ...message,
    // nothing left after trimming (a mail that is all quote): the whole text is classified
    ...(message.classifyText === undefined ? {} : { classifyText: classifyText || undefined }),
    externalId: message.externalId.trim(),
    threadKey: message.threadKey.trim() || message.externalId.trim(),
    text,
    author: {
      ...message.author,
      handle: message.author.handle?.trim().replace(/^(?!@)/, '@'),
    },
  };
}
