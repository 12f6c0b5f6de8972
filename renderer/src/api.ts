/**
 * The renderer's only way to main: `window.sc`, with each `IpcResult` unwrapped into a value or an `ApiError`
 * (a typed error with a stable code, a message fit to show, and the field it concerns).
 */
import type { IpcError, IpcResult, ScApi } from '../../main/contract/ipc';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: string;
  readonly field: string | undefined;
  constructor(error: IpcError) {
    super(error.message);
    this.code = error.code;
    this.field = error.field;
  }
}

/** The bridge; a clear error when the page runs without it (opened outside the app). */
export function sc(): ScApi {
  if (!window.sc) throw new ApiError({ code: 'no-bridge', message: 'System Configurator is not connected.' });
  return window.sc;
}

/** Awaits a call and returns its value, or throws an `ApiError` with main's message. */
export async function unwrap<T>(call: Promise<IpcResult<T>>): Promise<T> {
  let result: IpcResult<T>;
  try {
    result = await call;
  } catch {
    throw new ApiError({ code: 'transport', message: 'System Configurator did not answer. Try again.' });
  }
  if (result.ok) return result.value;
  throw new ApiError(result.error);
}

/** An error as something to show: main's message, or a generic sentence for anything unexpected. */
export function toIpcError(error: unknown): IpcError {
  if (error instanceof ApiError) return { code: error.code, message: error.message, field: error.field };
  return { code: 'internal', message: 'Something went wrong. Try again.' };
}
