import type { Agenda } from 'agenda';
import { buildDigest, digestText } from '../feedback/digest';
import type { Locale } from '../i18n';
import { DEFAULT_LOCK_LIFETIME_MS, renewingLock } from './locks';

export const DIGEST_JOB = 'feedback.digest';
const DAY_MS = 24 * 60 * 60_000;

export interface DigestScheduleOptions {
  /** sends the mrkdwn text to the product team's channel */
  post: (text: string) => Promise<void>;
  /** agenda interval ('1 week') or cron ('0 9 * * 1'); default '1 week' */
  every?: string;
  /** for a cron: the zone its hours are in */
  timezone?: string;
  /** the period each digest covers, ending when it runs; default 7 days */
  periodDays?: number;
  limitThemes?: number;
  linkBase?: string;
  /** JOBS_LOCK_LIFETIME_MS; building the digest renews it */
  lockLifetimeMs?: number;
  /** the language of the post (DEFAULT_LOCALE: a channel has no one language) */
  locale?: Locale;
}

/** The product feedback digest on a schedule: build it for the period just ended, then post it. */
export async function scheduleDigest(agenda: Agenda, options: DigestScheduleOptions): Promise<void> {
  const lockLifetime = options.lockLifetimeMs ?? DEFAULT_LOCK_LIFETIME_MS;
  agenda.define(DIGEST_JOB, (job) => renewingLock(job, lockLifetime, async () => {
    const to = new Date();
    const from = new Date(to.getTime() - (options.periodDays ?? 7) * DAY_MS);
    await options.post(digestText(await buildDigest({ from, to, limitThemes: options.limitThemes, linkBase: options.linkBase }), options.locale));
  }), { concurrency: 1, lockLifetime });
  await agenda.every(options.every ?? '1 week', DIGEST_JOB, undefined, options.timezone ? { timezone: options.timezone } : undefined);
}
