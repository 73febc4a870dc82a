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

test('filters apply as soon as they change', async ({ page }, info) => {
  await page.goto('/categories/cpus');
  await ready(page, info);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
  await page.getByRole('checkbox', { name: /^In stock only/ }).check();
  await expect(page).toHaveURL(/in_stock=1/);
  expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(7);
});
