import fs from 'node:fs';
import path from 'node:path';
import { CronExpressionParser } from 'cron-parser';
import humanInterval from 'human-interval';
import { IANAZone } from 'luxon';
import { TRIAGE, type Department } from '../domain/department';
import { loadDepartments } from './departments';
import { emailDepartmentProblems } from './email';
import { ConfigError, type Config } from './index';

/** Why agenda could not schedule `schedule` (it takes a cron expression or a human interval), or undefined. */
export function scheduleProblem(schedule: string, timeZone: string): string | undefined {
  const interval = humanInterval(schedule);
  // human-interval reads "every monday" as 0 ms: agenda would run the job back to back
  if (typeof interval === 'number' && interval > 0) return undefined;
  try {
    CronExpressionParser.parse(schedule, { tz: timeZone }).next();
    return undefined;
  } catch (err) {
    return `"${schedule}" is neither a cron expression nor an interval such as "1 week" (${(err as Error).message})`;
  }
}

/** The demo replay runs with REPLAY=on, or with auto when no channel account (X, Mastodon, Bluesky) is configured. */
export function replayRuns(config: Config): boolean {
  const channelAccounts = config.x.accounts.length + config.mastodon.accounts.length + config.bluesky.accounts.length + config.email.accounts.length;
  return config.replay.mode === 'on' || (config.replay.mode === 'auto' && channelAccounts === 0);
}

/**
 * What the environment alone cannot tell: settings checked against the departments in force, the time-zone
 * database, agenda's schedule syntax and the file system. Runs before the database starts; throws ConfigError
 * naming every bad variable, and returns the departments.
 */
export function checkStartup(config: Config): Department[] {
  const departments = loadDepartments(config.departmentsFile);
  const problems: string[] = [];
  const keys = new Set(departments.map((d) => d.key));
  const known = [...keys].join(', ');
  for (const key of Object.keys(config.slack?.channels ?? {})) {
    if (key === TRIAGE) problems.push(`SLACK_CHANNELS: "${key}" is not a department (the triage channel is SLACK_TRIAGE_CHANNEL)`);
    else if (!keys.has(key)) problems.push(`SLACK_CHANNELS: "${key}" is not a department (known: ${known})`);
  }
  const zoneOk = IANAZone.isValidZone(config.digest.timeZone);
  if (!zoneOk) problems.push(`FEEDBACK_DIGEST_TIMEZONE: "${config.digest.timeZone}" is not an IANA time zone such as Europe/Berlin or UTC`);
  const schedule = scheduleProblem(config.digest.schedule, zoneOk ? config.digest.timeZone : 'UTC');
  if (schedule) problems.push(`FEEDBACK_DIGEST_SCHEDULE: ${schedule}`);
  problems.push(...emailDepartmentProblems(config.email, keys));
  if (replayRuns(config) && !fs.existsSync(config.replay.file)) {
    problems.push(`REPLAY_FILE: ${path.resolve(config.replay.file)} does not exist (set REPLAY=off to run without the demo replay)`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return departments;
}
