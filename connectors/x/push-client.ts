/** The X Activity API's subscription calls (list, create) through twitter-api-v2, with an account's OAuth 2.0 user token. */
import http from 'node:http';
import { TwitterApi } from 'twitter-api-v2';
import { baseUrlPlugin, toConnectorError } from './client';

export interface ActivitySubscription {
  subscriptionId: string;
  eventType: string;
  userId?: string;
  webhookId?: string;
}

export interface ActivityApi {
  /** every subscription the app holds (X lists the app's, whoever's token asks) */
  list(): Promise<ActivitySubscription[]>;
  create(eventType: string, userId: string, webhookId?: string): Promise<ActivitySubscription>;
}

type SubscriptionWire = { subscription_id?: string; event_type?: string; webhook_id?: string; filter?: { user_id?: string } };
const toSubscription = (s: SubscriptionWire): ActivitySubscription => ({
  subscriptionId: s.subscription_id ?? '',
  eventType: s.event_type ?? '',
  ...(s.filter?.user_id ? { userId: s.filter.user_id } : {}),
  ...(s.webhook_id ? { webhookId: s.webhook_id } : {}),
});

// X lists up to 1000 a page; more pages than this would be another app's problem
const MAX_PAGES = 10;

export function createActivityApi(options: { oauth2UserToken: string; apiBaseUrl?: string; timeoutMs?: number }): ActivityApi {
  const base = (options.apiBaseUrl ?? 'https://api.x.com').replace(/\/+$/, '');
  const v2 = new TwitterApi(options.oauth2UserToken, {
    plugins: [baseUrlPlugin(base, options.timeoutMs ?? 30_000)],
    ...(base.startsWith('http:') ? { httpAgent: new http.Agent() } : {}),
  }).v2;
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      throw toConnectorError(err);
    }
  };
  return {
    list: () =>
      call(async () => {
        const all: ActivitySubscription[] = [];
        let token: string | undefined;
        for (let n = 0; n < MAX_PAGES; n += 1) {
          const page = await v2.get<{ data?: SubscriptionWire[]; meta?: { next_token?: string } }>('activity/subscriptions', {
            max_results: 1000,
            ...(token ? { pagination_token: token } : {}),
          });
          all.push(...(page.data ?? []).map(toSubscription));
          token = page.meta?.next_token;
          if (!token) break;
        }
        return all;
      }),
    create: (eventType, userId, webhookId) =>
      call(async () => {
        const body = { event_type: eventType, filter: { user_id: userId }, tag: 'switchboard', ...(webhookId ? { webhook_id: webhookId } : {}) };
        const answer = await v2.post<{ data?: { subscription?: SubscriptionWire } }>('activity/subscriptions', body);
        return toSubscription(answer.data?.subscription ?? { event_type: eventType, filter: { user_id: userId } });
      }),
  };
}
