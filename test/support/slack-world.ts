import assert from 'node:assert/strict';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import type { SlackConfig } from '../../src/config';
import type { ReplyDetector } from '../../src/domain/classification';
import type { Outbox } from '../../src/domain/outbox';
import type { Locale } from '../../src/i18n';
import { DEFAULT_DEPARTMENTS, type ReplyPolicy } from '../../src/domain/department';
import type { PipelineDeps } from '../../src/ingest/pipeline';
import { deliverReply, type DeliveryDeps, type DeliveryOutcome } from '../../src/outbound/deliver';
import { createSlack, type Slack } from '../../src/slack/app';
import { DepartmentDirectory } from '../../src/slack/directory';
import { SlackNotReadyError } from '../../src/slack/notify';
import { postAgentMessage } from '../../src/slack/agent-lines';
import { reportDelivery } from '../../src/slack/reporter';
import { createLogger } from '../../src/runtime/logger';
import { appPipeline } from '../../src/runtime/pipeline';
import { SlaClock } from '../../src/sla/clock';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/slack-api';
import { startXWorld, type XWorld } from '../connectors/x-setup';
import { testRouter } from './app';
import { clearCollections, useTestDatabase } from './database';
import { signedSlackBody } from './slack-requests';

export const SIGNING_SECRET = 'test-signing-secret';
export const CHANNELS = { support: 'C0SUPPORT', sales: 'C0SALES', product: 'C0PRODUCT', hr: 'C0HR', other: 'C0OTHER' };
export const TRIAGE_CHANNEL = 'C0TRIAGE';
export const AGENT = { id: 'U0AGENT01', name: 'anna', displayName: 'Anna Agent' };

type Job = { kind: 'post-conversation' | 'post-followup' | 'deliver' | 'report' | 'agent-line'; id: string };

/** The app with Slack and X fakes; the outbox is a list the test runs by hand, like agenda would. */
export interface SlackWorld {
  slackApi: FakeSlackApi;
  x: XWorld;
  slack: Slack;
  app: Express;
  pipeline: PipelineDeps;
  clock: SlaClock;
  jobs: Job[];
  /** jobs that threw (agenda would retry them with backoff): the test re-queues them */
  failedJobs: (Job & { error: unknown })[];
  delivery: DeliveryDeps;
  /** runs queued jobs (and the ones they queue) until none are left */
  runJobs(): Promise<DeliveryOutcome[]>;
  postSigned(body: Record<string, unknown>, options?: Parameters<typeof signedSlackBody>[2]): request.Test;
  close(): Promise<void>;
}

/** `slackConfig` overrides the HTTP-mode Slack config (Socket Mode, say); the test starts and stops `slack` then. `locale`: DEFAULT_LOCALE. */
/** `screening`: a no-reply detector for the router and NO_REPLY_CARDS (default: none, every message needs a reply). */
export async function startSlackWorld(
  overrides: Partial<DeliveryDeps> = {},
  slackConfig: Partial<SlackConfig> = {},
  locale?: Locale,
  screening: { noReply?: ReplyDetector; noReplyCards?: 'none' | 'channel' } = {},
  replyPolicies: Record<string, ReplyPolicy> = {},
): Promise<SlackWorld> {
  const slackApi = await startFakeSlackApi();
  for (const [name, id] of Object.entries(CHANNELS)) slackApi.addChannel(id, name);
  slackApi.addChannel(TRIAGE_CHANNEL, 'triage');
  slackApi.addUser({ id: AGENT.id, name: AGENT.name, displayName: AGENT.displayName });
  // the account the customers in these tests write to
  const x = await startXWorld({}, { me: { username: 'kestrelhome', name: 'Kestrel Home' } });

  const jobs: Job[] = [];
  const failedJobs: (Job & { error: unknown })[] = [];
  const outbox: Outbox = {
    conversationRouted: (id) => Promise.resolve(void jobs.push({ kind: 'post-conversation', id })),
    followUpStored: (id) => Promise.resolve(void jobs.push({ kind: 'post-followup', id })),
    replyQueued: (id) => Promise.resolve(void jobs.push({ kind: 'deliver', id })),
    replyFinished: (id) => Promise.resolve(void jobs.push({ kind: 'report', id })),
    agentMessageWritten: (id) => Promise.resolve(void jobs.push({ kind: 'agent-line', id })),
  };
  const directory = new DepartmentDirectory(DEFAULT_DEPARTMENTS.map((d) => ({ ...d, ...(replyPolicies[d.key] ? { replyPolicy: replyPolicies[d.key] } : {}) })), CHANNELS, TRIAGE_CHANNEL);
  const logger = createLogger('silent');
  const clock = new SlaClock((key) => directory.get(key)?.sla);
  const slack = createSlack({
    config: { botToken: slackApi.identity.token, signingSecret: SIGNING_SECRET, socketMode: false, apiUrl: slackApi.apiUrl, channels: CHANNELS, triageChannel: TRIAGE_CHANNEL, ...slackConfig },
    directory,
    outbox,
    notePrefix: 'note:',
    logger,
    locale,
    events: clock,
  });
  const pipeline: PipelineDeps = appPipeline({ router: testRouter(screening.noReply), clock, outbox, logger, noReplyCards: screening.noReplyCards });
  const delivery: DeliveryDeps = {
    connectorFor: (channel, account) => (channel === 'x' && account === 'acct-x-1' ? x.connector : undefined),
    report: (id) => outbox.replyFinished(id),
    onSent: (conversationId, at) => clock.agentReplied(conversationId, at),
    maxAttempts: 3,
    retryBaseMs: 1000,
    owner: 'test-worker',
    ...overrides,
  };
  const app = createApp({
    logger,
    pipeline,
    ingest: { maxBytes: 65536, maxBatch: 50 },
    slackRouter: slack.router,
    outbox,
    effects: slack.effects,
    events: clock,
    canSend: (channel, account) => delivery.connectorFor(channel, account) !== undefined,
    replyPolicyOf: (key) => directory.get(key)?.replyPolicy ?? 'direct',
  });

  const retries = new Map<string, number>();
  async function runJobs(): Promise<DeliveryOutcome[]> {
    const outcomes: DeliveryOutcome[] = [];
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      if (job.kind === 'post-conversation') await slack.notifier.postConversation(job.id);
      else if (job.kind === 'post-followup') {
        // as agenda retries it: a follow-up whose card is not posted yet (or is being moved) goes back in the queue
        const posted = await slack.notifier.postFollowUp(job.id).then(() => true, (err: unknown) => {
          if (!(err instanceof SlackNotReadyError) || (retries.get(job.id) ?? 0) >= 20) throw err;
          retries.set(job.id, (retries.get(job.id) ?? 0) + 1);
          return false;
        });
        if (!posted) jobs.push(job);
      }
      else if (job.kind === 'report') await reportDelivery(job.id, slack.notifier).catch((error: unknown) => void failedJobs.push({ ...job, error }));
      else if (job.kind === 'agent-line') await postAgentMessage(job.id, slack.notifier).catch((error: unknown) => void failedJobs.push({ ...job, error }));
      else outcomes.push(await deliverReply(job.id, delivery));
    }
    return outcomes;
  }

  return {
    slackApi,
    x,
    slack,
    app,
    pipeline,
    clock,
    jobs,
    failedJobs,
    delivery,
    runJobs,
    postSigned: (body, options = {}) => {
      const { rawBody, headers } = signedSlackBody(SIGNING_SECRET, body, options);
      return request(app).post('/slack/events').set(headers).send(rawBody);
    },
    close: async () => {
      await slackApi.close();
      await x.fake.close();
    },
  };
}

/** The suite's own database and a fresh world per test: `const world = useSlackWorld();`, then `world()` in each test. */
export function useSlackWorld(): () => SlackWorld {
  useTestDatabase();
  let w: SlackWorld | undefined;
  beforeEach(async () => {
    await clearCollections();
    w = await startSlackWorld();
  });
  afterEach(() => w?.close());
  return () => w ?? assert.fail('no Slack world outside a test');
}
