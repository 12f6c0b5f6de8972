/**
 * The first frame (issue 15, "First paint"): the window's state comes with the page (the preload asks main
 * synchronously as the page starts), so the first screen drawn is the real one, with no request to main
 * before it and no loading screen in between. Ordering only: nothing here is timed.
 */
import type { Page } from '@playwright/test';
import { channelNames } from '../../main/contract/channel-names';
import { test, expect, ADMIN } from './fixtures';

interface FirstFrame {
  /** Every screen (data-testid="screen-…") that was ever put into the page, in order. */
  screens: string[];
  /** When `selector` first appeared, and the first contentful paint's start time (the page's clock). */
  seenAt: number | null;
  fcp: number | null;
}

/** From the next load on, records which screens the page shows and whether `selector` came before FCP. */
async function recordFirstFrame(page: Page, selector: string): Promise<void> {
  await page.addInitScript((watched: string) => {
    const record: FirstFrame = { screens: [], seenAt: null, fcp: null };
    Object.defineProperty(window, '__firstFrame', { value: record });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        if (entry.name === 'first-contentful-paint') record.fcp ??= entry.startTime;
    }).observe({ type: 'paint', buffered: true });
    new MutationObserver(() => {
      for (const el of document.querySelectorAll<HTMLElement>('[data-testid^="screen-"]')) {
        const id = el.dataset.testid!;
        if (!record.screens.includes(id)) record.screens.push(id);
      }
      // A mark's time is the page's real clock (the fixture's fake clock replaces performance.now only).
      if (record.seenAt === null && document.querySelector(watched))
        record.seenAt = performance.mark('first-frame-seen').startTime;
    }).observe(document, { childList: true, subtree: true });
  }, selector);
}

async function firstFrame(page: Page): Promise<FirstFrame> {
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __firstFrame: FirstFrame }).__firstFrame.fcp))
    .not.toBeNull();
  return page.evaluate(() => (window as unknown as { __firstFrame: FirstFrame }).__firstFrame);
}

test('Log on is the first screen drawn: in the first contentful paint, with no request to main before it', async ({
  page,
  app,
}) => {
  await recordFirstFrame(page, '[data-testid=login-username]');
  const requestsBefore = app.target === 'browser' ? app.requests(channelNames.auth.state) : 0;
  await page.reload();
  await expect(page.getByTestId('login-username')).toBeVisible();

  const frame = await firstFrame(page);
  expect(frame.screens).toEqual(['screen-logon']);
  expect(frame.seenAt).not.toBeNull();
  expect(frame.seenAt!, 'the form was in the page before its first contentful paint').toBeLessThanOrEqual(
    frame.fcp!,
  );
  if (app.target === 'browser') expect(app.requests(channelNames.auth.state)).toBe(requestsBefore);
});

test('a signed-in window that reloads shows the shell first, never Log on in between', async ({
  page,
  app,
  ui,
}) => {
  await ui.logOn(ADMIN.username, ADMIN.password);
  await expect(page.getByTestId('screen-shell')).toBeVisible();

  await recordFirstFrame(page, '[data-testid=screen-shell]');
  const requestsBefore = app.target === 'browser' ? app.requests(channelNames.auth.state) : 0;
  await page.reload();
  await expect(page.getByTestId('screen-shell')).toBeVisible();
  const frame = await firstFrame(page);
  expect(frame.screens[0]).toBe('screen-shell');
  expect(frame.screens).not.toContain('screen-logon');
  expect(frame.screens).not.toContain('screen-loading');
  if (app.target === 'browser') expect(app.requests(channelNames.auth.state)).toBe(requestsBefore);
});

test("the page's entry script asks V8 to compile it whole while it streams (the first frame calls most of it)", async ({
  page,
}) => {
  const entry = await page.evaluate(
    () => document.querySelector<HTMLScriptElement>('script[type=module]')?.src,
  );
  expect(entry).toBeTruthy();
  const response = await page.request.get(entry!);
  expect((await response.text()).startsWith('//# allFunctionsCalledOnLoad\n')).toBe(true);
});
