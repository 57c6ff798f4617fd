// The sandboxed preload: exposes `window.familiar` (see bridge.ts) and nothing else. ipcRenderer itself never
// reaches the page: each function is bound to its own channel, arguments are structured-cloned by
// contextBridge, and event listeners receive only the payload (never the IpcRendererEvent, whose `sender` is
// ipcRenderer). Built as one CommonJS bundle (scripts/build-preload.ts) because Electron's sandboxed preloads
// cannot load ES modules or node_modules.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { buildBridge } from './bridge.js';

contextBridge.exposeInMainWorld('familiar', buildBridge(ipcRenderer, webUtils));
