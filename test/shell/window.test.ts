/**
 * The window is shown on the first of ready-to-show, did-finish-load, did-fail-load or a time-out, because
 * ready-to-show alone does not always fire under native Wayland (electron/electron#48859) and in some
 * Windows releases (#54025, #51972): without the others there would be no window at all.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SHOW_FALLBACK_MS, createMainWindow } from '../../main/shell/window';
import { BrowserWindow, resetFakeElectron } from './support/fake-electron';

vi.mock('electron', () => import('./support/fake-electron'));

beforeEach(() => {
  resetFakeElectron();
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

function hiddenWindow() {
  createMainWindow({ preloadPath: '/opt/sc/preload.cjs', devTools: false });
  const window = BrowserWindow.instances[0]!;
  const show = vi.spyOn(window, 'show');
  expect(window.options.show).toBe(false);
  expect(window.visible).toBe(false);
  return { window, show };
}

describe('the window is shown even when ready-to-show never comes (Wayland)', () => {
  it('ready-to-show shows it, once', () => {
    const { window, show } = hiddenWindow();
    window.emit('ready-to-show');
    window.webContents.emit('did-finish-load');
    vi.advanceTimersByTime(SHOW_FALLBACK_MS * 2);
    expect(show).toHaveBeenCalledTimes(1);
  });

  it('did-finish-load shows it when ready-to-show does not fire', () => {
    const { window, show } = hiddenWindow();
    window.webContents.emit('did-finish-load');
    expect(window.visible).toBe(true);
    vi.advanceTimersByTime(SHOW_FALLBACK_MS * 2);
    expect(show).toHaveBeenCalledTimes(1);
  });

  it('did-fail-load shows it too (a window that says something beats none)', () => {
    const { window } = hiddenWindow();
    window.webContents.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND');
    expect(window.visible).toBe(true);
  });

  it('with no load event at all it is shown after the time-out, not before', () => {
    const { window, show } = hiddenWindow();
    vi.advanceTimersByTime(SHOW_FALLBACK_MS - 1);
    expect(window.visible).toBe(false);
    vi.advanceTimersByTime(1);
    expect(window.visible).toBe(true);
    expect(show).toHaveBeenCalledTimes(1);
  });

  it('a window closed before the time-out is not shown afterwards', () => {
    const { window, show } = hiddenWindow();
    window.close();
    vi.advanceTimersByTime(SHOW_FALLBACK_MS * 2);
    expect(show).not.toHaveBeenCalled();
  });
});
