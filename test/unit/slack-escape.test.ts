import assert from 'node:assert/strict';
import { clip, escapeInline, link, linkLabelled } from '../../src/slack/escape';
import { renderMrkdwn } from '../support/mrkdwn';

const NAMES = [
  '@mia_home',
  'Mia_Home *Fan* ~old~ `code`',
  '@channel @here @everyone',
  '<!channel> <!here|here> <@U0AGENT01> <#C0SUPPORT|support>',
  'Tom & Jerry <3 > you',
  ':fire: :+1::skin-tone-2:',
  'visit https://evil.example/x or evil.com or www.evil.com, mail a@b.com',
  '> quoted *and* _so_ on',
  'ЛЕНА 李 مريم 👩🏽‍💻',
];

describe('Slack escaping: customer words shown exactly as written', () => {
  it('the reference renderer does see formatting, pings, mentions, emoji codes and links in raw text', () => {
    const raw = renderMrkdwn('_a_ *b* @channel <@U1> :fire: evil.com <https://x.example|x>');
    assert.deepEqual(raw.active.sort(), ['autolink:evil.com', 'bold:b', 'broadcast:channel', 'emoji:fire', 'italic:a', 'link:https://x.example', 'mention:U1']);
  });

  for (const name of NAMES) {
    it(`shows ${JSON.stringify(name)} as written, with nothing formatted, pinged, mentioned or linked`, () => {
      const shown = renderMrkdwn(`*X mention* from ${escapeInline(name)}`);
      assert.equal(shown.visible, `X mention from ${name}`);
      assert.deepEqual(shown.active, ['bold:X mention']);
    });
  }

  it('shows a line break in a name as a space, so our one-line layout holds', () => {
    assert.equal(renderMrkdwn(escapeInline('Mia\nHome\u2028x')).visible, 'Mia Home x');
  });

  it('links only http(s) URLs without bidirectional controls, in the URL or the label', () => {
    assert.deepEqual(renderMrkdwn(link('https://x.com/mia_home', 'Mia_Home')).active, ['link:https://x.com/mia_home']);
    for (const bidi of ['\u202e', '\u2066', '\u200f', '\u061c']) {
      assert.equal(link(`https://x.com/a${bidi}exe.gpj`, 'photo'), 'photo', `URL with U+${bidi.codePointAt(0)?.toString(16)}`);
      const label = `Lena ${bidi}evil`;
      assert.deepEqual(renderMrkdwn(link('https://x.com/lena', label)), { visible: label, active: [] }, 'label with a bidi control');
      assert.equal(linkLabelled('https://x.com/lena', escapeInline(label)), escapeInline(label));
    }
    assert.equal(link('javascript:alert(1)', 'x'), 'x');
    assert.equal(link('https://a.example/x|y', 'x'), 'x');
  });

  it('cuts long text between graphemes, never inside an emoji, flag or joined sequence', () => {
    for (const emoji of ['👍🏽', '🇩🇪', '👨‍👩‍👧', 'é', '😀']) {
      for (let pad = 2890; pad <= 2900; pad++) {
        const text = 'a'.repeat(pad) + emoji.repeat(3) + 'b'.repeat(200);
        const cut = clip(text);
        assert.ok(cut.endsWith('…'));
        const kept = cut.slice(0, -1);
        assert.ok(kept.length <= 2900, 'within the limit');
        assert.ok(text.startsWith(kept), 'a prefix of the original');
        const rest = text.slice(kept.length);
        assert.ok(rest.startsWith(emoji) || rest.startsWith('b'), `cut at a grapheme boundary (pad ${pad}, ${emoji})`);
        assert.doesNotMatch(cut, /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/, 'no lone surrogate');
      }
    }
    assert.equal(clip('short 👍🏽'), 'short 👍🏽');
    assert.equal(clip('ab👍🏽', 3), 'ab…');
  });
});
