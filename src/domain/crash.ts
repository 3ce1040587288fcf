/**
 * Test hook for the kill tests (test/integration/kill.test.ts): with SWITCHBOARD_CRASH_AT set, the process
 * SIGKILLs itself the first time it reaches that point, so a test can stop it between two writes on purpose.
 * Unset (always, outside tests) it does nothing.
 */
export const CRASH_POINTS = [
  'after-message-stored',
  'after-conversation-stored',
  'after-followup-stored',
  'after-reply-stored',
] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

let armed: CrashPoint | undefined;

export function armCrash(point: CrashPoint | undefined): void {
  armed = point;
}

export function crashPoint(point: CrashPoint): void {
  if (armed === point) process.kill(process.pid, 'SIGKILL');
}
