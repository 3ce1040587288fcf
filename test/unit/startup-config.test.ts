import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config';
import { checkStartup, scheduleProblem } from '../../src/config/startup';
import { problemsOf } from '../support/config';

const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };

describe('configuration checked at start', () => {
  it('an empty value means the default, not 0 or an empty string', () => {
    const config = loadConfig({ PORT: '', TRIAGE_THRESHOLD: '', FERRETDB_PORT: ' ', FEEDBACK_DIGEST_TIMEZONE: '', REPLAY_FILE: '', LOG_LEVEL: '' });
    assert.equal(config.port, 3000);
    assert.equal(config.triageThreshold, 'auto');
    assert.equal(config.ferretdb.port, 27117);
    assert.equal(config.digest.timeZone, 'Europe/Berlin');
    assert.equal(config.replay.file, 'connectors/replay/example.jsonl');
    assert.equal(config.logLevel, 'info');
  });

  it('PORT 0 (a random port) is refused, naming PORT', () => {
    assert.match(problemsOf(() => loadConfig({ PORT: '0' }))[0]!, /^PORT: /);
  });

  it('the defaults pass', () => {
    assert.deepEqual(checkStartup(loadConfig({})).map((d) => d.key), ['support', 'sales', 'product', 'hr', 'other']);
  });

  it('SLACK_CHANNELS keys must be departments', () => {
    const problems = problemsOf(() => checkStartup(loadConfig({ ...slack, SLACK_CHANNELS: 'support=C01,sopport=C02,triage=C03' })));
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /^SLACK_CHANNELS: "sopport" is not a department \(known: support, sales, product, hr, other\)/);
    assert.match(problems[1]!, /^SLACK_CHANNELS: "triage" is not a department \(the triage channel is SLACK_TRIAGE_CHANNEL\)/);
  });

  it('FEEDBACK_DIGEST_TIMEZONE must be an IANA zone', () => {
    assert.match(problemsOf(() => checkStartup(loadConfig({ FEEDBACK_DIGEST_TIMEZONE: 'Europe/Berlinn' })))[0]!, /^FEEDBACK_DIGEST_TIMEZONE: "Europe\/Berlinn" is not an IANA time zone/);
    assert.doesNotThrow(() => checkStartup(loadConfig({ FEEDBACK_DIGEST_TIMEZONE: 'America/New_York' })));
  });

  it('FEEDBACK_DIGEST_SCHEDULE must be a cron expression or an interval agenda reads', () => {
    assert.equal(scheduleProblem('0 9 * * 1', 'Europe/Berlin'), undefined);
    assert.equal(scheduleProblem('1 week', 'UTC'), undefined);
    assert.match(scheduleProblem('61 9 * * 1', 'UTC')!, /neither a cron expression nor an interval/);
    assert.ok(scheduleProblem('every monday', 'UTC'), 'human-interval reads it as 0 ms');
    assert.match(problemsOf(() => checkStartup(loadConfig({ FEEDBACK_DIGEST_SCHEDULE: 'mondays at nine' })))[0]!, /^FEEDBACK_DIGEST_SCHEDULE: "mondays at nine"/);
  });

  it('REPLAY_FILE must exist when the replay would run, and is not looked at when it would not', () => {
    assert.match(problemsOf(() => checkStartup(loadConfig({ REPLAY_FILE: 'no/such.jsonl' })))[0]!, /^REPLAY_FILE: .*no\/such\.jsonl does not exist/);
    assert.doesNotThrow(() => checkStartup(loadConfig({ REPLAY_FILE: 'no/such.jsonl', REPLAY: 'off' })));
  });
});
