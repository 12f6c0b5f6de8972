/**
 * How the browser test host hands main's answers to synchronous messages (ipcRenderer.sendSync) to the page:
 * a cookie of the document's response, per channel an answer for the main frame and one for a sub-frame.
 * Shared by the host (Node) and the electron stand-in (page).
 */
export type SyncReplies = Record<string, { mainFrame: unknown; subFrame: unknown }>;

export const SYNC_REPLIES_COOKIE = '__scSyncReplies';
