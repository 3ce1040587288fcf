import type { Job } from 'agenda';
import { AppError } from '../domain/errors';

/** The default lifetime of a job's lock (JOBS_LOCK_LIFETIME_MS): a dead worker's jobs are taken up again this long after it died. */
export const DEFAULT_LOCK_LIFETIME_MS = 20_000;

/** Thrown when another worker holds the item's lease: that worker's attempt may still fail, so this job retries. */
export class WorkBusyError extends AppError {
  constructor(what: string) {
    super('work_busy', `${what} is being worked on by another worker; trying again later`);
  }
}

/** Runs a job's work while renewing its lock, so a job longer than the lock's lifetime is neither cancelled nor run twice. */
export async function renewingLock<T>(job: Job, lifetimeMs: number, work: () => Promise<T>): Promise<T> {
  // renewed at once: a job that waited behind others in this worker's queue starts with a fresh lock
  let pending: Promise<void> = job.touch().catch(() => undefined);
  // a third of the lifetime: one slow renewal still leaves the lock alive
  const timer = setInterval(() => {
    pending = pending.then(() => job.touch()).catch(() => undefined);
  }, Math.max(Math.floor(lifetimeMs / 3), 50));
  try {
    return await work();
  } finally {
    clearInterval(timer);
    // a renewal landing after agenda saved the outcome would re-lock the job and undo a scheduled retry
    await pending;
  }
}

