import type { webApi } from '@slack/bolt';
import { pickLocale, type Locale } from '../i18n';

interface Agent {
  name: string;
  locale: Locale;
}

/** Slack user id → the agent's display name and language (users.info with include_locale), looked up once per process. */
export class AgentNames {
  private readonly cache = new Map<string, Agent>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly defaultLocale: Locale = 'en',
  ) {}

  async nameOf(userId: string): Promise<string> {
    return (await this.lookup(userId)).name;
  }

  /** The language Slack shows this person ('de-DE' → de); the default when Slack does not say or we have none for it. */
  async localeOf(userId: string): Promise<Locale> {
    return (await this.lookup(userId)).locale;
  }

  private async lookup(userId: string): Promise<Agent> {
    const known = this.cache.get(userId);
    if (known) return known;
    try {
      const res = await this.client.users.info({ user: userId, include_locale: true });
      const profile = res.user?.profile;
      const name = profile?.display_name || profile?.real_name || res.user?.real_name || res.user?.name || userId;
      const agent = { name, locale: pickLocale(res.user?.locale, this.defaultLocale) };
      this.cache.set(userId, agent);
      return agent;
    } catch {
      return { name: userId, locale: this.defaultLocale }; // a name is a nicety: the action still counts
    }
  }
}
