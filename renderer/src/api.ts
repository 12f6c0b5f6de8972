/**
 * The renderer's only way to main: `window.sc`, with each `IpcResult` unwrapped into a value or an `ApiError`
 * (a typed error with a stable code, a message fit to show, and the field it concerns).
 */
import type { IpcResult } from '@contract/errors';
import type { ScApi } from '@contract/ipc';
import { errorText } from './i18n/errors';
import { messageFor, windowError, type WindowError, type WindowErrorCode } from './error-messages';

class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: WindowErrorCode;
  readonly field: string | undefined;
  readonly params: WindowError['params'];
  constructor(error: WindowError) {
    super(error.message);
    this.code = error.code;
    this.field = error.field;
    this.params = error.params;
  }
}

/** An error of the window itself, in the window's words. */
function windowOnly(code: WindowErrorCode): ApiError {
  return new ApiError({ code, message: messageFor(code) });
}

/** The bridge; a clear error when the page runs without it (opened outside the app). */
export function sc(): ScApi {
  if (!window.sc) throw windowOnly('no-bridge');
  return window.sc;
}

/** Awaits a call and returns its value, or throws an `ApiError` with main's message. */
export async function unwrap<T>(call: Promise<IpcResult<T>>): Promise<T> {
  let result: IpcResult<T>;
  try {
    result = await call;
  } catch {
    throw windowOnly('transport');
  }
  if (result.ok) return result.value;
  throw new ApiError(windowError(result.error));
}

/** An error as something to show, in the window's language: its catalog's text for the code (and params),
 *  main's sentence for what the catalog does not know, the window's sentence for anything unexpected. */
export function toWindowError(error: unknown): WindowError {
  if (!(error instanceof ApiError))
    return { code: 'internal', message: errorText({ code: 'internal', message: messageFor('internal') }) };
  const raw = { code: error.code, message: error.message, field: error.field, params: error.params };
  return { ...raw, message: errorText(raw) || messageFor(error.code) };
}
