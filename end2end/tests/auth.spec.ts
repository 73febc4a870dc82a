import { expect, test } from '@playwright/test';
import { ADMIN, CUSTOMER, accountNav, linkIn, mailTo, noJs, ready, register, signIn, signOut } from './helpers';

test('register → confirm by e-mail → signed in → reload stays signed in → sign out', async ({ page }, info) => {
  const email = `e2e-${info.project.name}-${Date.now()}@example.com`;
  await register(page, info, email, 'Secret123');
  const link = linkIn(await mailTo(email), '/confirm-email');
  await page.goto(link);
  await ready(page, info);
  await page.getByLabel('Password').fill('Secret123');
  await page.getByRole('button', { name: 'Confirm and sign in' }).click();
  await expect(accountNav(page).getByRole('link', { name: 'Account' })).toBeVisible();
  await page.reload();
  await expect(accountNav(page).getByRole('link', { name: 'Account' })).toBeVisible();
  await accountNav(page).getByRole('link', { name: 'Account' }).click();
  await expect(page.getByText(email)).toBeVisible();
  await signOut(page);
  const res = await page.goto('/account');
  await expect(page).toHaveURL(/\/sign-in\?next=\/account$/);
  expect(res?.status()).toBe(200);
});

test('registering a taken address looks the same and mails its owner instead', async ({ page }, info) => {
  await register(page, info, CUSTOMER.email, 'Another123');
  const mail = await mailTo(CUSTOMER.email);
  expect(mail).toContain('You already have one');
  // The customer's password is unchanged.
  await signIn(page, info, CUSTOMER);
});

test('wrong password is refused with a clear message', async ({ page }, info) => {
  await page.goto('/sign-in');
  await ready(page, info);
  await page.getByLabel('E-mail').fill(CUSTOMER.email);
  await page.getByLabel('Password').fill('wrong-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong e-mail or password. Just registered? Open the link we e-mailed you first.');
  await expect(accountNav(page).getByRole('link', { name: 'Sign in' })).toBeVisible();
});

test('a customer is kept out of /admin; an admin gets in', async ({ page }, info) => {
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/sign-in\?next=\/admin$/);

  await signIn(page, info, CUSTOMER, '/admin');
  await expect(page.getByRole('heading', { name: 'You do not have access to this page' })).toBeVisible();
  const refused = await page.goto('/admin');
  expect(refused?.status()).toBe(403);
  await signOut(page);

  await signIn(page, info, ADMIN, '/admin');
  await expect(page.getByRole('heading', { level: 1, name: 'Admin' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Stock alerts' })).toBeVisible();
});

test('a session outlives its access token without a visible reload', async ({ page }, info) => {
  // The e2e server issues 8-second access tokens (end2end/serve.sh).
  await signIn(page, info, CUSTOMER, '/account');
  await expect(page.getByText(CUSTOMER.email)).toBeVisible();
  if (!noJs(info)) {
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 99));
  }
  await page.waitForTimeout(20_000);
  if (noJs(info)) {
    // Without JavaScript the next page load is refreshed by the server.
    await page.goto('/account');
  } else {
    // Hydrated, the client renewed in the background: a client-side
    // navigation still finds the shopper signed in, with no reload.
    await page.getByRole('link', { name: 'OctaBlitz home' }).click();
    await accountNav(page).getByRole('link', { name: 'Account' }).click();
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(99);
  }
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByText(CUSTOMER.email)).toBeVisible();
});
