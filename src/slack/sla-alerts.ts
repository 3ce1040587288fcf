import type { AtRisk } from '../sla/at-risk';
import type { AlertSink } from '../sla/alerts';
import { t, type Locale } from '../i18n';
import type { DepartmentDirectory } from './directory';
import { clip, escapeInline } from './escape';
import type { SlackNotifier } from './notify';

const TARGETS = { firstResponse: 'slack.target.firstResponse', nextResponse: 'slack.target.nextResponse', resolution: 'slack.target.resolution' } as const;

const when = (d: Date) => `<!date^${Math.floor(d.getTime() / 1000)}^{date_short_pretty} {time}|${d.toISOString()}>`;
const who = (item: AtRisk, locale: Locale) => escapeInline(item.customer.handle ?? item.customer.name ?? t(locale, 'slack.card.aCustomer'));

/** Warnings go to the conversation's thread; breaches to the department channel and the managers' channel. */
export function slackAlertSink(notifier: SlackNotifier, directory: DepartmentDirectory, managerChannel?: string): AlertSink {
  const locale = notifier.locale;
  return {
    async warn(item) {
      await notifier.sayInThread(item.id, t(locale, 'slack.sla.warn', { target: t(locale, TARGETS[item.target]), when: when(item.dueAt), share: Math.round(item.elapsedShare * 100) }));
    },
    async breach(item) {
      const text = t(locale, 'slack.sla.breach', {
        department: escapeInline(directory.name(item.department)),
        target: locale === 'en' ? t(locale, TARGETS[item.target]).toLowerCase() : t(locale, TARGETS[item.target]),
        who: who(item, locale),
        when: when(item.dueAt),
        preview: escapeInline(clip(item.preview, 140)),
      });
      const channels = new Set([directory.channelOf(item.department), managerChannel].filter((c): c is string => Boolean(c)));
      for (const channel of channels) await notifier.postToChannel(channel, text);
    },
  };
}
