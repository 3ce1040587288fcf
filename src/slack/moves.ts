import type { Outbox } from '../domain/outbox';
import type { Locale } from '../i18n';
import { ConversationModel } from '../store/models/conversation';
import type { DepartmentDirectory } from './directory';
import type { SlackNotifier } from './notify';

/** After a reassignment: the old card says where it went, and the new department gets a card of its own. */
export async function announceMove(
  deps: { notifier: SlackNotifier; directory: DepartmentDirectory; outbox: Outbox },
  conversationId: string,
  to: string,
  by: string,
  locale?: Locale,
): Promise<void> {
  try {
    await deps.notifier.refreshCard(conversationId, { to: deps.directory.name(to), by }, locale);
  } finally {
    // the new department gets its card even when the old one could not be updated
    await ConversationModel.updateOne({ _id: conversationId }, { $unset: { slack: 1, slackPostStartedAt: 1 } });
    await deps.outbox.conversationRouted(conversationId);
  }
}
