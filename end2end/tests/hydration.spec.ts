import { expect, test } from '@playwright/test';
import { ready, searchBox } from './helpers';

// These interactions only work once the wasm bundle has hydrated the page.

test('type-ahead suggestions appear and the keyboard picks one', async ({ page }, info) => {
  await page.goto('/');
  await ready(page, info);
  const box = await searchBox(page);
  await box.pressSequentially('rtx 40', { delay: 40 });
  const list = page.getByRole('listbox', { name: 'Suggestions' });
  await expect(list).toBeVisible();
  await expect(list.getByRole('option').first()).toContainText('RTX 40');
  await box.press('ArrowDown');
  await expect(box).toHaveAttribute('aria-activedescendant', /option-0$/);
  await box.press('Enter');
  await expect(page).toHaveURL(/\/products\/.*rtx-40/);
});

test('gallery arrow keys swap images without reloading', async ({ page }, info) => {
  await page.goto('/products/asus-tuf-gaming-geforce-rtx-4090-oc');
  await ready(page, info);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  const gallery = page.getByRole('group', { name: /Product images/ });
  await gallery.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByText(/^Image 2 of \d$/)).toBeVisible();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByText(/^Image (\d) of \1$/)).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42);
});

test('filters apply as soon as they change, keeping focus', async ({ page }, info) => {
  await page.goto('/categories/cpus');
  await ready(page, info);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
  await page.getByRole('checkbox', { name: /^In stock only/ }).check();
  await expect(page).toHaveURL(/in_stock=1/);
  await expect(page.getByRole('checkbox', { name: /^In stock only/ })).toBeFocused();
  expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(7);
});

test('searching away from a search box leaves the app alive', async ({ page }, info) => {
  // The page's own box is unmounted by the navigation while its type-ahead
  // timer is pending; the app must keep working afterwards.
  await page.goto('/search');
  await ready(page, info);
  const own = page.getByRole('combobox', { name: 'Search the catalog' });
  await own.pressSequentially('rtx', { delay: 10 });
  await own.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Results for “rtx”' })).toBeVisible();
  await page.waitForTimeout(400);
  const header = page.getByRole('combobox', { name: 'Search products' });
  await header.pressSequentially('logitech', { delay: 20 });
  await expect(page.getByRole('listbox', { name: 'Suggestions' })).toBeVisible();
  await header.press('Enter');
  await expect(page).toHaveURL(/q=logitech/);
  await expect(page.getByRole('listbox', { name: 'Suggestions' })).toBeHidden();
});
