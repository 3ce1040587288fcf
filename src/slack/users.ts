import type { webApi } from '@slack/bolt';

/** Slack user id → the agent's display name, looked up once per process. */
export class AgentNames {
  private readonly cache = new Map<string, string>();

  constructor(private readonly client: webApi.WebClient) {}

  async nameOf(userId: string): Promise<string> {
    const known = this.cache.get(userId);
    if (known) return known;
    try {
      const res = await this.client.users.info({ user: userId });
      const profile = res.user?.profile;
      const name = profile?.display_name || profile?.real_name || res.user?.real_name || res.user?.name || userId;
      this.cache.set(userId, name);
      return name;
    } catch {
      return userId; // a name is a nicety: the action still counts
    }
  }
}
