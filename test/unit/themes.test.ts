import assert from 'node:assert/strict';
import { digestText, matchThemes, type Digest } from '../../src/feedback/digest';
import { languageOf, sameTerm } from '../../src/feedback/terms';
import { findThemes } from '../../src/feedback/themes';
import { renderMrkdwn, withoutJoiners } from '../support/mrkdwn';

/** A week of feedback as customers write it: four topics in English and German, and a few one-offs. */
const FEEDBACK = [
  { id: 'f01', text: 'Please add a dark mode, the white screen is blinding at night.' },
  { id: 'f02', text: 'Any plans for a dark mode? My eyes hurt when I check the app in bed.' },
  { id: 'f03', text: 'Dark mode for the dashboard would be amazing!' },
  { id: 'f04', text: 'Bitte einen Dark Mode einbauen, abends blendet die App total.' },
  { id: 'f05', text: 'Gibt es bald einen Dark Mode? Das helle Design ist nachts anstrengend.' },
  { id: 'f06', text: 'Would love a Home Assistant integration so I can automate the heating.' },
  { id: 'f07', text: 'Is Matter support planned? I want to use it with Home Assistant.' },
  { id: 'f08', text: 'Home Assistant integration via Matter please, the cloud API is too slow.' },
  { id: 'f09', text: 'Wann kommt die Integration in Home Assistant? Matter wäre ideal.' },
  { id: 'f10', text: 'Ich hätte gerne Matter Unterstützung, damit alles mit Home Assistant läuft.' },
  { id: 'f11', text: 'Matter integration would let me drop the extra bridge.' },
  { id: 'f12', text: 'Battery life of the sensor is way too short, I change batteries every month.' },
  { id: 'f13', text: 'Battery life got much worse, a new battery is empty after two weeks.' },
  { id: 'f14', text: 'Could the weekly energy report show cost per device?' },
  { id: 'f15', text: 'Energy reports should include the battery level of each sensor.' },
  { id: 'f16', text: 'Monthly energy report as PDF export would help with my landlord.' },
  { id: 'f17', text: 'Der Akku vom Thermostat hält nur noch drei Wochen.' },
  { id: 'f18', text: 'Die Laufzeit vom Akku ist viel kürzer geworden.' },
  { id: 'f19', text: 'Wie lange soll der Akku halten? Meiner ist nach einem Monat leer.' },
  { id: 'f20', text: 'Support for Apple Watch complications, please.' },
  { id: 'f21', text: 'Können wir die Rechnung per E-Mail bekommen statt per Post?' },
  { id: 'f22', text: 'A widget for the lock screen on Android would be handy.' },
  { id: 'f23', text: '👍👍👍 https://example.com/x' },
];

const EXPECTED = [
  { label: 'home assistant, matter', terms: ['home', 'assistant', 'matter'], count: 6, items: ['f06', 'f07', 'f08', 'f09', 'f10', 'f11'] },
  { label: 'dark mode', terms: ['dark', 'mode'], count: 5, items: ['f01', 'f02', 'f03', 'f04', 'f05'] },
  { label: 'akku hält', terms: ['akku', 'hält'], count: 3, items: ['f17', 'f18', 'f19'] },
  { label: 'battery life, sensor', terms: ['battery', 'sensor', 'life'], count: 3, items: ['f12', 'f13', 'f15'] },
  { label: 'energy report', terms: ['energy', 'report'], count: 2, items: ['f14', 'f16'] },
  { label: '(no key terms)', terms: [], count: 1, items: ['f23'] },
  { label: 'apple watch complications', terms: ['apple', 'watch', 'complications'], count: 1, items: ['f20'] },
  { label: 'rechnung, mail bekommen', terms: ['rechnung', 'mail', 'bekommen'], count: 1, items: ['f21'] },
  { label: 'widget, lock, android', terms: ['widget', 'lock', 'android'], count: 1, items: ['f22'] },
];

describe('feedback themes', () => {
  it('groups English and German feedback into themes with readable labels, by count then label', () => {
    assert.deepEqual(findThemes(FEEDBACK), EXPECTED);
  });

  it('gives the same themes for the same texts in any order', () => {
    const reversed = [...FEEDBACK].reverse();
    const interleaved = [...FEEDBACK.filter((_, i) => i % 2 === 1), ...FEEDBACK.filter((_, i) => i % 2 === 0)];
    assert.deepEqual(findThemes(reversed), EXPECTED);
    assert.deepEqual(findThemes(interleaved), EXPECTED);
  });

  it('uses the known language, else tells English from German by stopwords', () => {
    assert.equal(languageOf('Gibt es bald einen Dark Mode?'), 'de');
    assert.equal(languageOf('Any plans for a dark mode?'), 'en');
    assert.equal(languageOf('Dark Mode', 'de'), 'de');
    assert.deepEqual(findThemes([]), []);
  });

  it('matches key terms across inflections and languages', () => {
    assert.ok(sameTerm('battery', 'batteries'));
    assert.ok(sameTerm('reports', 'report'));
    assert.ok(!sameTerm('battery', 'matter'));
  });

  it('pairs themes of two periods on shared key terms, larger themes first', () => {
    const theme = (label: string, terms: string[], count: number) => ({ label, terms, count, items: [] });
    const current = [theme('dark mode, night', ['dark', 'mode', 'night'], 4), theme('energy reports', ['energy', 'reports'], 2), theme('widget', ['widget'], 1)];
    const previous = [theme('home assistant', ['home', 'assistant'], 3), theme('dark mode, theme', ['mode', 'dark', 'theme'], 2), theme('energy report', ['report', 'energy'], 1)];
    const matched = matchThemes(current, previous);
    assert.deepEqual([...matched].map(([i, t]) => [i, t.label]), [[0, 'dark mode, theme'], [1, 'energy report']]);
  });

  it('writes Slack text that links only http(s) posts and escapes customer words', () => {
    const at = new Date('2025-03-10T00:00:00Z');
    const digest: Digest = {
      from: at, to: new Date('2025-03-17T00:00:00Z'), previous: { from: new Date('2025-03-03T00:00:00Z'), to: at, total: 0 }, total: 2, more: { themes: 0, conversations: 0 },
      themes: [{
        label: 'dark mode', terms: ['dark', 'mode'], count: 2, previousCount: 0, trend: 'new', change: 2,
        conversations: [
          { id: 'a', preview: 'dark mode <!here> & *now*', url: 'https://x.com/a/status/1', channel: 'x' },
          { id: 'b', preview: 'dark mode please', url: 'javascript:alert(1)', channel: 'webhook' },
        ],
      }],
    };
    const text = digestText(digest);
    assert.deepEqual(renderMrkdwn(text.split('\n')[2] ?? ''), { visible: '    • x: dark mode <!here> & *now*', active: ['link:https://x.com/a/status/1'] }, 'shown as written, not bold');
    assert.equal(withoutJoiners(text), [
      '*Product feedback* 2025-03-10 – 2025-03-17: 2 conversations (0 the period before)',
      '*1. dark mode* — 2 (new)',
      '    • <https://x.com/a/status/1|x>: dark mode &lt;!here&gt; &amp; *now*',
      '    • webhook: dark mode please',
    ].join('\n'));
  });

  it('says how many themes and conversations the list leaves out, in German too', () => {
    const at = new Date('2025-03-10T00:00:00Z');
    const theme = { label: 'dark mode', terms: ['dark', 'mode'], count: 2, previousCount: 1, trend: 'up' as const, change: 1, conversations: [] };
    const digest: Digest = { from: at, to: new Date('2025-03-17T00:00:00Z'), previous: { from: at, to: at, total: 1 }, total: 9, more: { themes: 3, conversations: 7 }, themes: [theme] };
    assert.equal(withoutJoiners(digestText(digest)).split('\n').at(-1), '…and 3 more themes with 7 conversations (see the dashboard)');
    assert.deepEqual(withoutJoiners(digestText(digest, 'de')).split('\n'), [
      '*Produkt-Feedback* 2025-03-10 – 2025-03-17: 9 Gespräche (1 im Zeitraum davor)',
      '*1. dark mode* — 2 (↑ +1, vorher 1)',
      '… und 3 weitere Themen mit 7 Gesprächen (siehe Dashboard)',
    ]);
  });
});
