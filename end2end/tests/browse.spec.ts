import { expect, test } from '@playwright/test';
import { applyFilters, noHorizontalScroll, openFilters, ready } from './helpers';

test('home → category → filter and sort → product → gallery', async ({ page }, info) => {
  await page.goto('/');
  await ready(page, info);
  await expect(page).toHaveTitle('OctaBlitz — PC & gaming store');
  await expect(page.getByRole('heading', { name: 'Featured' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Shop by category' })).toBeVisible();
  await noHorizontalScroll(page);

  await page.getByRole('link', { name: /^Graphics Cards \d+ products$/ }).click();
  await expect(page).toHaveURL(/\/categories\/gpus$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Graphics Cards' })).toBeVisible();
  await expect(page).toHaveTitle('Graphics Cards · OctaBlitz');
  await ready(page, info);
  await noHorizontalScroll(page);

  await openFilters(page);
  const asus = page.getByRole('checkbox', { name: /^ASUS \(\d+\)$/ });
  await asus.check();
  await applyFilters(page, info);
  await expect(page).toHaveURL(/brand=asus/);

  await openFilters(page);
  await page.getByRole('combobox', { name: 'Sort by' }).selectOption('price-asc');
  await applyFilters(page, info);
  await expect(page).toHaveURL(/sort=price-asc/);
  await expect(page).toHaveURL(/brand=asus/);

  const titles = page.getByRole('heading', { level: 3 });
  await expect(titles.first()).toBeVisible();
  for (const title of await titles.allTextContents()) {
    expect(title).toContain('ASUS');
  }
  await expect(page.getByRole('link', { name: 'Remove filter ASUS' })).toBeVisible();

  await titles.first().getByRole('link').click();
  await expect(page).toHaveURL(/\/products\/asus-/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('ASUS');
  await expect(page.getByRole('heading', { name: 'Specifications' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Graphics Cards' })).toBeVisible();
  await expect(page.getByText(/^(In stock|Only \d+ left|Out of stock)$/).first()).toBeVisible();
  await ready(page, info);
  await noHorizontalScroll(page);

  await expect(page.getByText(/^Image 1 of [2-5]$/)).toBeVisible();
  await page.getByRole('link', { name: /^Show image 2:/ }).click();
  await expect(page).toHaveURL(/\?image=2$/);
  await expect(page.getByText(/^Image 2 of [2-5]$/)).toBeVisible();
});

test('pagination and per-page links keep the filters', async ({ page }, info) => {
  await page.goto('/products?in_stock=1&per_page=12');
  await ready(page, info);
  const nav = page.getByRole('navigation', { name: 'Pagination' });
  await nav.getByRole('link', { name: 'Page 2', exact: true }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page).toHaveURL(/in_stock=1/);
  await expect(nav.getByRole('link', { name: 'Page 2', exact: true })).toHaveAttribute('aria-current', 'page');
  await page.goBack();
  await expect(page).not.toHaveURL(/page=2/);
});

test('bad parameters show a notice, not an error', async ({ page }) => {
  const res = await page.goto('/products?sort=bogus&page=-1&min_price=abc');
  expect(res?.status()).toBe(200);
  await expect(page.getByText('Unknown sort order: showing the default order.')).toBeVisible();
  await expect(page.getByText('Ignored a price that is not a number.')).toBeVisible();
});
