/** Shared wiring for the X connector tests: a fresh fake X API and a real connector pointed at it. */
import { createXConnector } from '../../connectors/x';
import type { XConnector, XConnectorOptions } from '../../connectors/x';
import { startFakeXApi } from '../fakes/x-api';
import type { FakeUser, FakeXApi, FakeXApiOptions } from '../fakes/x-api';

export const OAUTH1 = { appKey: 'app-key', appSecret: 'app-secret', accessToken: 'access-token', accessSecret: 'access-secret' };

/** X's prices of 2026 (FIELD-NOTES "X platform, 2026"), as the config's defaults give them. */
export const X_PRICES = {
  post_read: 0.005,
  owned_post_read: 0.001,
  dm_event_read: 0.01,
  post_create: 0.015,
  post_with_url_create: 0.2,
  dm_create: 0.015,
} as const;

export interface XWorld {
  fake: FakeXApi;
  connector: XConnector;
}

export async function startXWorld(overrides: Partial<XConnectorOptions> = {}, fakeOptions: FakeXApiOptions = {}): Promise<XWorld> {
  const fake = await startFakeXApi(fakeOptions);
  const connector = createXConnector({
    accountId: 'acct-x-1',
    userId: fake.me.id,
    credentials: OAUTH1,
    apiBaseUrl: fake.url,
    pageSize: 5,
    ...overrides,
  });
  return { fake, connector };
}

/** A promise's rejection, so tests can check its class and fields. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}

/** A fresh world and customer "jane_doe" for each test of the enclosing describe. */
export function useXWorld(overrides: Partial<XConnectorOptions> = {}): { w: XWorld; jane: FakeUser } {
  const ctx = {} as { w: XWorld; jane: FakeUser };
  beforeEach(async () => {
    ctx.w = await startXWorld(overrides);
    ctx.jane = ctx.w.fake.addUser('jane_doe', 'Jane Doe');
  });
  afterEach(() => ctx.w.fake.close());
  return ctx;
}
