/** Shared wiring for the Mastodon connector tests: a fresh fake instance and a real connector (real masto) pointed at it. */
import { createMastodonConnector } from '../../connectors/mastodon';
import type { MastodonConnector, MastodonConnectorOptions } from '../../connectors/mastodon';
import { startFakeMastodon } from '../fakes/mastodon-api';
import type { FakeAccount, FakeMastodonApi, FakeMastodonOptions } from '../fakes/mastodon-api';

export interface MastodonWorld {
  fake: FakeMastodonApi;
  connector: MastodonConnector;
}

export async function startMastodonWorld(overrides: Partial<MastodonConnectorOptions> = {}, fakeOptions: FakeMastodonOptions = {}): Promise<MastodonWorld> {
  const fake = await startFakeMastodon(fakeOptions);
  const connector = createMastodonConnector({ accountId: 'kestrel-social', url: fake.url, accessToken: fake.token, pageSize: 5, timeoutMs: 2000, ...overrides });
  return { fake, connector };
}

/** A fresh world and customer "anna" (of another instance) for each test of the enclosing describe. */
export function useMastodonWorld(overrides: Partial<MastodonConnectorOptions> = {}, fakeOptions: FakeMastodonOptions = {}): { w: MastodonWorld; anna: FakeAccount } {
  const ctx = {} as { w: MastodonWorld; anna: FakeAccount };
  beforeEach(async () => {
    ctx.w = await startMastodonWorld(overrides, fakeOptions);
    ctx.anna = ctx.w.fake.addAccount('anna', 'Anna K', 'social.example');
  });
  afterEach(() => ctx.w.fake.close());
  return ctx;
}
