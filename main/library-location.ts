// Where the library lives when the user does not say: the same folder Electron's app.getPath('userData') uses.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const APP_NAME = 'Familiar';

export function defaultLibraryDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.FAMILIAR_LIBRARY) return resolve(env.FAMILIAR_LIBRARY);
  const home = homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_NAME);
}

/**
 * A folder for what belongs to this computer rather than to a library or the user's roaming profile (the fallback
 * machine id of main/store/machine-id.ts). On Windows the local AppData: the roaming one follows the user to other
 * computers.
 */
export function machineStateDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), APP_NAME);
  return join(env.XDG_STATE_HOME ?? join(home, '.local', 'state'), APP_NAME);
}
