/**
 * Runs in the page: every visible text node whose colour against its nearest opaque background is below WCAG AA
 * (4.5:1, 3:1 for large text), opacity included, as "TAG.class "text": ratio". A string, so the bundler adds no helpers to it.
 */
export const CONTRAST_FAILURES = `(() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (e) => {
    for (; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length >= 3 && (c[3] ?? 1) > 0.5) return c;
    }
    return [255, 255, 255];
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const e = n.parentElement;
    if (!e || !n.textContent.trim() || e.closest('[hidden], .visually-hidden, svg') || e.getClientRects().length === 0) continue;
    const style = getComputedStyle(e);
    // faded by opacity on it or an ancestor: the text shows mixed with what is behind it
    let alpha = 1;
    for (let p = e; p; p = p.parentElement) alpha *= Number(getComputedStyle(p).opacity);
    const bg = background(e);
    const fg = rgb(style.color).slice(0, 3).map((v, i) => alpha * v + (1 - alpha) * bg[i]);
    const a = lum(fg);
    const b = lum(bg);
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) out.push(e.tagName + '.' + e.className + ' "' + n.textContent.trim().slice(0, 30) + '": ' + ratio.toFixed(2));
  }
  return out;
})()`;
