import { defineConfig } from '@playwright/test';

// Debian's chromium: Playwright's own browser download cannot run here.
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--no-first-run',
  ],
};
const addr = process.env.E2E_ADDR ?? '127.0.0.1:3100';

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL: `http://${addr}`,
    launchOptions,
    trace: 'retain-on-failure',
  },
  projects: [
    // Hydrated, desktop: everything.
    { name: 'hydrated', use: { viewport: { width: 1280, height: 800 } } },
    // Hydrated on a 320 px phone.
    {
      name: 'phone-320',
      use: { viewport: { width: 320, height: 640 }, hasTouch: true, isMobile: true },
      testIgnore: /hydration\.spec/,
    },
    // JavaScript off: browsing, filtering, sorting and search must still work.
    {
      name: 'no-js',
      use: { viewport: { width: 1280, height: 800 }, javaScriptEnabled: false },
      testIgnore: /hydration\.spec/,
    },
  ],
  webServer: [
    // The local Stripe and PayPal fakes first: their hosted pages post webhooks to the store.
    {
      command: 'bash fakes.sh',
      url: `http://${process.env.FAKE_STRIPE_ADDR ?? '127.0.0.1:3110'}/healthz`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: 'bash serve.sh',
      url: `http://${addr}/readyz`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
