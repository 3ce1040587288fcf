import type { Express } from 'express';
import { trainNoReplyDetector, type NoReplyDetector } from '../../classifiers/no-reply';
import { createApp } from '../../src/api/app';
import type { ReplyDetector } from '../../src/domain/classification';
import type { PipelineDeps } from '../../src/ingest/pipeline';
import type { SlaClock } from '../../src/sla/clock';
import { DEFAULT_DEPARTMENTS } from '../../src/domain/department';
import { Router } from '../../src/routing/router';
import { createLogger } from '../../src/runtime/logger';
import type { TokenRole } from '../../src/store/models/api-token';
import { syncDepartments } from '../../src/store/repositories/departments';
import { createApiToken } from '../../src/store/repositories/tokens';
import { KeywordClassifier, testRules } from './keyword-classifier';

/** `noReply`: a no-reply detector (testNoReplyDetector); without one every message needs a reply. */
export function testRouter(noReply?: ReplyDetector): Router {
  return new Router(new KeywordClassifier(testRules), {
    threshold: 0.5,
    departments: DEFAULT_DEPARTMENTS.map((d) => d.key),
    noReply,
  });
}

/** A pipeline whose conversations run SLA clocks as the app's do (written with the insert; follow-ups move them), without cards. */
export function clockedPipeline(clock: SlaClock, router: Router = testRouter()): PipelineDeps {
  return {
    router,
    openingSla: (department, at) => clock.opening(department, at),
    onFollowUp: (_messageId, conversationId, at) => clock.customerMessage(conversationId, at),
  };
}

let detector: NoReplyDetector | undefined;
/** The real no-reply detector on its seed examples, trained once per test run (about two seconds). */
export function testNoReplyDetector(): NoReplyDetector {
  return (detector ??= trainNoReplyDetector());
}

/** The real express app over the test database, with a predictable classifier. */
export function testApp(overrides: { maxBytes?: number; maxBatch?: number } = {}): Express {
  return createApp({
    logger: createLogger('silent'),
    pipeline: { router: testRouter() },
    ingest: { maxBytes: overrides.maxBytes ?? 64 * 1024, maxBatch: overrides.maxBatch ?? 50 },
  });
}

export async function seedDepartments(): Promise<void> {
  await syncDepartments(DEFAULT_DEPARTMENTS.map((d) => ({ ...d })));
}

export async function bearer(role: TokenRole): Promise<string> {
  const { token } = await createApiToken(role, `test-${role}`);
  return `Bearer ${token}`;
}
