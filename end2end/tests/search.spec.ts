import { expect, test } from '@playwright/test';
import { ready, searchBox } from './helpers';

test('search tolerates a typo', async ({ page }, info) => {
  await page.goto('/');
  await ready(page, info);
  const box = await searchBox(page);
  await box.fill('mechanicl keybord');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/search\?q=mechanicl\+keybord/);
  await expect(page.getByRole('heading', { level: 1, name: 'Results for “mechanicl keybord”' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 3 }).first()).toBeVisible();
});

test('rtx4090 finds RTX 4090 cards', async ({ page }) => {
  await page.goto('/search?q=rtx4090');
  await expect(page.getByRole('link', { name: 'ASUS TUF Gaming GeForce RTX 4090 OC' })).toBeVisible();
});

test('no results page helps', async ({ page }) => {
  await page.goto('/search?q=zzqxxj');
  await expect(page.getByRole('heading', { name: 'No products match “zzqxxj”' })).toBeVisible();
  await expect(page.getByText('Check the spelling, or use fewer or more general words.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'All products' }).first()).toBeVisible();
});

test('unknown pages and products are real 404s', async ({ page }) => {
  for (const path of ['/no/such/page', '/products/no-such-product', '/categories/no-such-category']) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  }
});
