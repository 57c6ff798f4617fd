// Imported first by main.ts, before the contract builds its schemas: zod decides at schema construction
// whether to compile parsers with `new Function`, and merely probing for it is a CSP violation on this page.
import { config } from 'zod';

config({ jitless: true });
