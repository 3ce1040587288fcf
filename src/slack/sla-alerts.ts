import type { AtRisk } from '../sla/at-risk';
import type { AlertSink } from '../sla/alerts';
import type { DepartmentDirectory } from './directory';
import { clip, escapeInline } from './escape';
import type { SlackNotifier } from './notify';

const TARGETS = { firstResponse: 'First response', nextResponse: 'Next response', resolution: 'Resolution' } as const;

const when = (d: Date) => `<!date^${Math.floor(d.getTime() / 1000)}^{date_short_pretty} {time}|${d.toISOString()}>`;
const who = (item: AtRisk) => escapeInline(item.customer.handle ?? item.customer.name ?? 'a customer');

/** Warnings go to the conversation's thread; breaches to the department channel and the managers' channel. */
export function slackAlertSink(notifier: SlackNotifier, directory: DepartmentDirectory, managerChannel?: string): AlertSink {
  return {
    async warn(item) {
      await notifier.sayInThread(item.id, `:hourglass_flowing_sand: ${TARGETS[item.target]} due ${when(item.dueAt)}: ${Math.round(item.elapsedShare * 100)}% of the time is used.`);
    },
    async breach(item) {
      const text = `:rotating_light: SLA breached in ${escapeInline(directory.name(item.department))}: ${TARGETS[item.target].toLowerCase()} for ${who(item)} was due ${when(item.dueAt)}. “${escapeInline(clip(item.preview, 140))}”`;
      const channels = new Set([directory.channelOf(item.department), managerChannel].filter((c): c is string => Boolean(c)));
      for (const channel of channels) await notifier.postToChannel(channel, text);
    },
  };
}
