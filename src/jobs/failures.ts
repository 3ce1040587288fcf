import type { Agenda, Job } from 'agenda';
import type { Logger } from '../runtime/logger';
import { WorkBusyError } from './locks';

// what a job's data may name; texts and payloads stay out of the log
const IDS = ['conversationId', 'messageId', 'channel', 'account'] as const;

/** agenda's own failures (a poll that could not reach the database): logged; an 'error' without a listener would crash the process. */
export function logAgendaErrors(agenda: Agenda, logger: Logger): void {
  agenda.on('error', (error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    logger.error({ reason }, `job queue poll failed (agenda keeps polling): ${reason}`);
  });
}

/** Every failed run of a job of ours is logged once, by the process that ran it: job, what it was about, why. */
export function logJobFailures(agenda: Agenda, logger: Logger): void {
  agenda.on('fail', (error: unknown, job: Job, remote?: boolean) => {
    if (remote) return; // another process's failure: that process logs it
    const data = (job.attrs.data ?? {}) as Record<string, unknown>;
    const ids = Object.fromEntries(IDS.filter((k) => typeof data[k] === 'string').map((k) => [k, data[k]]));
    const reason = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown } | null)?.code;
    // busy is not trouble: the job waits for the worker that has the item, and says so quietly
    logger[error instanceof WorkBusyError ? 'info' : 'error']({ job: job.attrs.name, ...ids, attempt: job.attrs.failCount, reason, ...(typeof code === 'string' ? { code } : {}) }, `job ${job.attrs.name} failed: ${reason}`);
  });
}
