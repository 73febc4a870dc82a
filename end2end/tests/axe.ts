import AxeBuilder from '@axe-core/playwright';
import { expect, Page, TestInfo } from '@playwright/test';
import { noJs } from './helpers';

/** WCAG 2.0–2.2 A and AA, plus Deque's best practices. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
/** What fails the build; moderate and minor findings are printed only. */
const BLOCKING = new Set(['serious', 'critical']);
/**
 * Moderate rules that fail the build all the same: a skipped heading level
 * breaks navigation by headings, the way screen-reader users skim a page.
 */
const BLOCKING_RULES = new Set(['heading-order']);
const blocks = (v: { id: string; impact?: string | null }) => BLOCKING.has(v.impact ?? '') || BLOCKING_RULES.has(v.id);

/**
 * The document a browser without JavaScript shows, made static for a page
 * that runs scripts: the scripts go (nothing hydrates) and `<noscript>`
 * content becomes plain markup, as such a browser renders it.
 */
function withoutScripts(html: string): string {
  return html
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '')
    .replace(/<link\b[^>]*rel="(?:modulepreload|preload)"[^>]*>/gi, '')
    .replace(/<noscript>/gi, '<div>')
    .replace(/<\/noscript>/gi, '</div>');
}

/**
 * Runs axe-core on the page as it is now and fails on any serious or
 * critical violation (and on the moderate rules of `BLOCKING_RULES`),
 * naming each rule, its help and the elements it found.
 */
export async function checkA11y(page: Page, info: TestInfo, what: string) {
  // The Content-Security-Policy allows no inline style attributes: none may
  // be rendered, nor added by the hydrated app (checked before axe runs).
  await expect(page.locator('[style]'), `${what}: elements with a style attribute`).toHaveCount(0);
  if (!noJs(info)) {
    return analyze(page, info, what, page.url());
  }
  // axe-core is a script, and this page runs none: check the same document,
  // with the same styles and viewport, in a page that runs scripts but not the store's.
  const url = page.url();
  const html = withoutScripts(await page.content());
  const context = await page.context().browser()!.newContext({ viewport: info.project.use.viewport, javaScriptEnabled: true });
  try {
    const copy = await context.newPage();
    await copy.route(
      (u) => u.href === url,
      (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }),
    );
    await copy.goto(url);
    // The copy must show what the page without JavaScript shows.
    expect(await copy.locator('main').innerText(), `${what}: the static copy`).toBe(await page.locator('main').innerText());
    await analyze(copy, info, what, url);
  } finally {
    await context.close();
  }
}

async function analyze(page: Page, info: TestInfo, what: string, url: string) {
  const results = await new AxeBuilder({ page })
    // WCAG 2.5.3 (the accessible name contains the visible label): axe-core
    // ships this rule as "experimental", so the tags alone leave it off.
    // `options()` replaces all options, so it comes before `withTags()`.
    .options({ rules: { 'label-content-name-mismatch': { enabled: true } } })
    .withTags(TAGS)
    .analyze();
  const describe = (v: (typeof results.violations)[number]) =>
    [
      `${v.id} [${v.impact}] ${v.help} (${v.helpUrl})`,
      ...v.nodes.map((n) => `    ${n.target.join(' ')}\n      ${n.failureSummary?.replace(/\n/g, '\n      ')}`),
    ].join('\n');
  const blocking = results.violations.filter(blocks);
  const other = results.violations.filter((v) => !blocks(v));
  if (other.length > 0) {
    info.annotations.push({ type: 'a11y (moderate/minor)', description: `${what}: ${other.map((v) => v.id).join(', ')}` });
    console.log(`[${info.project.name}] ${what}: moderate/minor findings\n${other.map(describe).join('\n')}`);
  }
  expect(blocking, `${what} (${url}): blocking axe violations\n${blocking.map(describe).join('\n')}`).toEqual([]);
}

