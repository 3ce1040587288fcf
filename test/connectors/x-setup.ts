/** Shared wiring for the X connector tests: a fresh fake X API and a real connector pointed at it. */
import { createXConnector } from '../../connectors/x';
import type { XConnector, XConnectorOptions } from '../../connectors/x';
import { startFakeXApi } from '../fakes/x-api';
import type { FakeXApi, FakeXApiOptions } from '../fakes/x-api';

export const OAUTH1 = { appKey: 'app-key', appSecret: 'app-secret', accessToken: 'access-token', accessSecret: 'access-secret' };

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
