// Where the library lives when the user does not say: the folder Electron's userData is, read from the environment as
// the XDG rules read it. QA: XDG_CONFIG_HOME set empty put the CLI's library in ./Familiar, another in every folder.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLibraryDir, machineStateDir } from '../../main/library-location.js';

describe('the default library folder on Linux', () => {
  const config = join(homedir(), '.config', 'Familiar');

  it('is under XDG_CONFIG_HOME when it names an absolute folder, else under ~/.config', () => {
    expect(defaultLibraryDir({ XDG_CONFIG_HOME: '/srv/conf' }, 'linux')).toBe('/srv/conf/Familiar');
    expect(defaultLibraryDir({}, 'linux')).toBe(config);
    expect(defaultLibraryDir({ XDG_CONFIG_HOME: '' }, 'linux')).toBe(config);
    expect(defaultLibraryDir({ XDG_CONFIG_HOME: 'relative/conf' }, 'linux')).toBe(config);
  });

  it('is FAMILIAR_LIBRARY when set', () => {
    expect(defaultLibraryDir({ FAMILIAR_LIBRARY: '/data/family', XDG_CONFIG_HOME: '' }, 'linux')).toBe('/data/family');
  });

  it("keeps this computer's own state under XDG_STATE_HOME by the same rule", () => {
    expect(machineStateDir({ XDG_STATE_HOME: '/srv/state' }, 'linux')).toBe('/srv/state/Familiar');
    expect(machineStateDir({ XDG_STATE_HOME: '' }, 'linux')).toBe(join(homedir(), '.local', 'state', 'Familiar'));
  });
});

describe('the default library folder on Windows', () => {
  it('is under APPDATA when it names an absolute folder', () => {
    expect(defaultLibraryDir({ APPDATA: 'C:\\Users\\rose\\AppData\\Roaming' }, 'win32')).toContain('C:\\Users\\rose\\AppData\\Roaming');
    expect(defaultLibraryDir({ APPDATA: '' }, 'win32')).toBe(join(homedir(), 'AppData', 'Roaming', 'Familiar'));
  });
});
