// Where the library lives when the user does not say: the same folder Electron's app.getPath('userData') uses.
import { homedir } from 'node:os';
import { join, posix, resolve, win32 } from 'node:path';

export const APP_NAME = 'Familiar';

/**
 * A folder an environment variable names, as the XDG rules read one: set, not empty and absolute; else the default.
 * QA: XDG_CONFIG_HOME set empty made the CLI's library "./Familiar", another in every folder it was run from.
 */
function folderFrom(value: string | undefined, fallback: string, platform: NodeJS.Platform): string {
  return value && (platform === 'win32' ? win32 : posix).isAbsolute(value) ? value : fallback;
}

export function defaultLibraryDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.FAMILIAR_LIBRARY) return resolve(env.FAMILIAR_LIBRARY);
  const home = homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return join(folderFrom(env.APPDATA, join(home, 'AppData', 'Roaming'), platform), APP_NAME);
  return join(folderFrom(env.XDG_CONFIG_HOME, join(home, '.config'), platform), APP_NAME);
}

/**
 * A folder for what belongs to this computer rather than to a library or the user's roaming profile (the fallback
 * machine id of main/store/machine-id.ts). On Windows the local AppData: the roaming one follows the user to other
 * computers.
 */
export function machineStateDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return join(folderFrom(env.LOCALAPPDATA, join(home, 'AppData', 'Local'), platform), APP_NAME);
  return join(folderFrom(env.XDG_STATE_HOME, join(home, '.local', 'state'), platform), APP_NAME);
}
