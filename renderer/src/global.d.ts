import type { ScApi } from '@contract/ipc';

declare global {
  interface Window {
    /** The bridge the preload exposes: one function per use case (main/contract/ipc.ts). */
    readonly sc: ScApi;
  }
}

export {};
