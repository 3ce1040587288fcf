import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const SLACK_DIR = path.join(__dirname, '..', '..', 'src', 'slack');

/** The scopes each Web API method we call needs (Slack's method docs), for public and private channels. */
const SCOPES_BY_METHOD: Record<string, string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  // a modal opened from an interaction's trigger_id needs no scope
  'views.open': [],
  'reactions.add': ['reactions:write'],
  'users.info': ['users:read'],
  'conversations.history': ['channels:history', 'groups:history'],
  'conversations.replies': ['channels:history', 'groups:history'],
};

describe('Slack app manifest', () => {
  it('asks for exactly the scopes of the Web API methods the code calls', () => {
    const source = fs.readdirSync(SLACK_DIR).filter((f) => f.endsWith('.ts')).map((f) => fs.readFileSync(path.join(SLACK_DIR, f), 'utf8')).join('\n');
    const called = [...new Set([...source.matchAll(/client\.([a-z]+\.[a-zA-Z]+)\(/g)].map((m) => m[1] ?? ''))].sort();
    for (const method of called) assert.ok(SCOPES_BY_METHOD[method], `no scope known for ${method}: add it here and to the manifest`);
    const needed = [...new Set(called.flatMap((m) => SCOPES_BY_METHOD[m] ?? []))].sort();
    const manifest = JSON.parse(fs.readFileSync(path.join(SLACK_DIR, 'manifest.json'), 'utf8')) as {
      oauth_config: { scopes: { bot: string[] } };
      settings: { event_subscriptions: { bot_events: string[]; request_url: string }; interactivity: { request_url: string } };
    };
    assert.deepEqual([...manifest.oauth_config.scopes.bot].sort(), needed);
    assert.deepEqual(manifest.settings.event_subscriptions.bot_events.sort(), ['message.channels', 'message.groups']);
    assert.match(manifest.settings.event_subscriptions.request_url, /\/slack\/events$/);
    assert.match(manifest.settings.interactivity.request_url, /\/slack\/events$/);
  });
});
