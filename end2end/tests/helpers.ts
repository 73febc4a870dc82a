import { expect, Page, TestInfo } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the e2e server writes outgoing mail (end2end/serve.sh). */
const MAIL_DIR = join(__dirname, '..', '..', 'target', 'e2e-mail');

/** The newest message the store mailed to `address` (waits for it to arrive). */
export async function mailTo(address: string): Promise<string> {
  let found: string | undefined;
  await expect
    .poll(() => {
      let names: string[] = [];
      try {
        names = readdirSync(MAIL_DIR).filter((n) => n.endsWith('.eml')).sort();
      } catch {
        return false;
      }
      found = names
        .map((n) => readFileSync(join(MAIL_DIR, n), 'utf8'))
        .reverse()
        .find((m) => m.includes(`\r\nTo: <${address}>\r\n`));
      return found !== undefined;
    })
    .toBe(true);
  return found!;
}

/** The first absolute link in a mail whose path starts with `path`. */
export function linkIn(mail: string, path: string): string {
  const line = mail.split('\r\n').find((l) => /^https?:\/\//.test(l) && new URL(l).pathname === path);
  expect(line, `a ${path} link in the mail`).toBeDefined();
  return line!;
}

/** True when the project runs with JavaScript off. */
export function noJs(info: TestInfo): boolean {
  return info.project.use.javaScriptEnabled === false;
}

/** Waits until the page is hydrated (a no-op with JavaScript off). */
export async function ready(page: Page, info: TestInfo): Promise<void> {
  if (!noJs(info)) {
    await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  }
}

/** The page must not scroll sideways (checked at every width, 320 px included). */
export async function noHorizontalScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, 'horizontal overflow in px').toBeLessThanOrEqual(0);
}

/** On narrow screens the filter form is folded away behind a toggle. */
export async function openFilters(page: Page): Promise<void> {
  const apply = page.getByRole('button', { name: 'Apply filters' });
  if (!(await apply.isVisible())) {
    await page.getByText('Show filters and sort').click();
  }
  await expect(apply).toBeVisible();
}

/** Without JavaScript filters apply on submit; hydrated they apply on change. */
export async function applyFilters(page: Page, info: TestInfo): Promise<void> {
  if (noJs(info)) {
    await page.getByRole('button', { name: 'Apply filters' }).click();
  }
}

/** The visible search box (header on desktop, drawer on phones). */
export async function searchBox(page: Page) {
  const opener = page.getByLabel('Open search');
  if (await opener.isVisible()) {
    await opener.click();
  }
  return page.getByRole('combobox', { name: 'Search products' });
}
