import type { InboundMessage } from '../../src/domain/message';

let seq = 0;

/** An inbound message with sensible defaults; override what the test is about. */
export function inbound(overrides: Partial<InboundMessage> = {}): InboundMessage {
  seq += 1;
  const externalId = overrides.externalId ?? `m-${seq}`;
  return {
    channel: 'webhook',
    account: 'test-source',
    externalId,
    threadKey: overrides.threadKey ?? `t-${externalId}`,
    kind: 'mention',
    author: { handle: '@customer', name: 'A Customer' },
    text: 'hello there',
    createdAt: new Date(),
    ...overrides,
  };
}
