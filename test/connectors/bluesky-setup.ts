/** Shared wiring for the Bluesky connector tests: a fresh fake PDS and a real connector (real @atproto/api) pointed at it. */
import { createBlueskyConnector } from '../../connectors/bluesky';
import type { BlueskyConnector, BlueskyConnectorOptions } from '../../connectors/bluesky';
import { APP_PASSWORD, startFakeBluesky } from '../fakes/bluesky-api';
import type { FakeBluesky, FakeProfile } from '../fakes/bluesky-api';

export interface BlueskyWorld {
  fake: FakeBluesky;
  connector: BlueskyConnector;
  /** a customer who writes to the account */
  anna: FakeProfile;
}

export async function startBlueskyWorld(overrides: Partial<BlueskyConnectorOptions> = {}): Promise<BlueskyWorld> {
  const fake = await startFakeBluesky();
  const connector = createBlueskyConnector({
    accountId: 'acct-bsky-1',
    service: fake.url,
    identifier: fake.me.handle,
    appPassword: APP_PASSWORD,
    pageSize: 5,
    ...overrides,
  });
  return { fake, connector, anna: fake.state.addUser('anna.bsky.social', 'Anna K') };
}

/** A fresh world for each test of the enclosing describe. */
export function useBlueskyWorld(overrides: Partial<BlueskyConnectorOptions> = {}): BlueskyWorld {
  const ctx = {} as BlueskyWorld;
  beforeEach(async () => Object.assign(ctx, await startBlueskyWorld(overrides)));
  afterEach(() => ctx.fake.close());
  return ctx;
}

/** Anna mentions the account in a new post. */
export const mention = (w: BlueskyWorld, text: string) => w.fake.state.createPost(w.anna, `@${w.fake.me.handle} ${text}`);

/** Anna writes to the account by chat. */
export function chat(w: BlueskyWorld, text: string) {
  const convo = w.fake.state.convoFor([w.anna.did]);
  return { convo, message: w.fake.state.addMessage(convo, w.anna.did, text) };
}
