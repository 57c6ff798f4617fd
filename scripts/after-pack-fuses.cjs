// electron-builder afterPack hook (electron-builder.yml): flips Electron's fuses in the packed binary, before
// signing. RunAsNode and NODE_OPTIONS off (the app binary cannot be used as a Node interpreter nor have code
// injected through the environment), inspector flags off, cookies encrypted, the app loaded only from app.asar,
// asar integrity checked where electron-builder records it (macOS), file:// without extra privileges.
// CommonJS because electron-builder 25 require()s its hooks.
'use strict';
const path = require('node:path');
const { flipFuses, FuseV1Options, FuseVersion } = require('@electron/fuses');

/** The fuse settings for a platform ('darwin' | 'mas' | 'win32' | 'linux') and arch name. */
function fuseConfig(platform, arch) {
  const mac = platform === 'darwin' || platform === 'mas';
  return {
    version: FuseVersion.V1,
    resetAdHocDarwinSignature: mac && arch === 'arm64',
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: mac,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  };
}

/** Where the packed Electron binary (or macOS app bundle) is. */
function electronBinaryPath(context) {
  const platform = context.electronPlatformName;
  const product = context.packager.appInfo.productFilename;
  if (platform === 'darwin' || platform === 'mas') return path.join(context.appOutDir, `${product}.app`);
  if (platform === 'win32') return path.join(context.appOutDir, `${product}.exe`);
  return path.join(context.appOutDir, context.packager.executableName);
}

const ARCH_NAMES = { 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' };

async function afterPack(context) {
  const arch = typeof context.arch === 'number' ? ARCH_NAMES[context.arch] : String(context.arch);
  await flipFuses(electronBinaryPath(context), fuseConfig(context.electronPlatformName, arch));
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.fuseConfig = fuseConfig;
module.exports.electronBinaryPath = electronBinaryPath;
