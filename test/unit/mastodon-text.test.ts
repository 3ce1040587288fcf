import assert from 'node:assert/strict';
import { htmlToText, mastodonLength } from '../../connectors/mastodon';
import { addressed } from '../../connectors/mastodon/text';

describe('Mastodon text: HTML in, length and handle out', () => {
  it('keeps line breaks, paragraphs, mentions, hashtags and links; decodes entities once', () => {
    const html =
      '<p><span class="h-card" translate="no"><a href="https://kestrel.example/@kestrelhome" class="u-url mention">@<span>kestrelhome</span></a></span> my <a href="https://social.example/tags/heater" class="mention hashtag" rel="tag">#<span>heater</span></a> &amp; &lt;thermostat&gt; broke<br />since Monday</p>' +
      '<p>photo: <a href="https://img.example/very/long/path" target="_blank" rel="nofollow noopener"><span class="invisible">https://</span><span class="ellipsis">img.example/very/lo</span><span class="invisible">ng/path</span></a> and <a href="https://shop.example/order/7">my order</a> &amp;amp; more</p>';
    assert.equal(htmlToText(html), '@kestrelhome my #heater & <thermostat> broke\nsince Monday\n\nphoto: https://img.example/very/long/path and my order (https://shop.example/order/7) &amp; more');
  });

  it('counts links as 23 and a remote handle as its local part, in graphemes', () => {
    assert.equal(mastodonLength('@anna@social.example hi'), '@anna hi'.length);
    assert.equal(mastodonLength(`see https://kestrel.example/${'a'.repeat(100)}`), 4 + 23);
    assert.equal(mastodonLength('👍🏽 ok'), 4);
  });

  it('puts the handle in front only when the text does not address the customer already', () => {
    assert.equal(addressed('Thanks!', 'anna@social.example'), '@anna@social.example Thanks!');
    assert.equal(addressed('Thanks @Anna@social.example.', 'anna@social.example'), 'Thanks @Anna@social.example.');
    assert.equal(addressed('cc @anna@social.example.org', 'anna@social.example'), '@anna@social.example cc @anna@social.example.org');
    assert.equal(addressed('hi @annabel', 'anna'), '@anna hi @annabel');
  });
});
