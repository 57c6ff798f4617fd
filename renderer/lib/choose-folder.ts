// The desktop app's folder picker, as every "… to a folder" / "… from a folder" button asks it.
import type { FamiliarClient } from './api.js';
import { toasts } from './live.svelte.js';

/** The folder the user chose; null when they closed the picker, or when it failed (said in a toast). */
export async function chooseFolder(client: FamiliarClient): Promise<string | null> {
  try {
    return (await client.call('dialog.chooseFolders')).paths[0] ?? null;
  } catch (error) {
    toasts.error(error);
    return null;
  }
}
